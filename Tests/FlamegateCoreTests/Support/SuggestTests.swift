import Testing

@testable import FlamegateCore

/// Issue 18 §6: the edit distance behind "did you mean".
@Suite struct SuggestTests {
    @Test func distanceCountsEditsAndSwaps() {
        #expect(Suggest.distance("top", "top") == 0)
        #expect(Suggest.distance("tpo", "top") == 1)
        #expect(Suggest.distance("flmae", "flame") == 1)
        #expect(Suggest.distance("convet", "convert") == 1)
        #expect(Suggest.distance("", "abc") == 3)
        #expect(Suggest.distance("kitten", "sitting") == 3)
    }

    @Test func closestOnlyWhenNearEnough() {
        let commands = ["top", "traces", "tree", "peek", "diff", "flame", "fetch", "convert"]
        #expect(Suggest.closest(to: "tpo", among: commands) == "top")
        #expect(Suggest.closest(to: "Flmae", among: commands) == "flame")
        #expect(Suggest.closest(to: "frobnicate", among: commands) == nil)
        #expect(Suggest.closest(to: "x", among: commands) == nil)
    }
}
