import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore
@testable import FlamegateRender

@Suite struct PaletteTests {
    @Test func perlPalettesAndLanguageAwareDefault() {
        #expect(Palette.kind("runtime.mallocgc") == .runtime)
        #expect(Palette.kind("internal/runtime/maps.(*Map).putSlot") == .runtime)
        #expect(Palette.kind("net/http.(*conn).serve") == .stdlib)
        #expect(Palette.kind("main.handler") == .user)
        #expect(Palette.kind("github.com/acme/svc.(*S).Run") == .user)
        #expect(Palette.kind("Swift.Array.append(_:)") == .stdlib)
        #expect(Palette.kind("swift_retain") == .runtime)
        #expect(Palette.kind("dictwork.encodeRecords(_:)") == .user)
        #expect(Palette.kind("do_syscall_64_[k]") == .kernel)
        #expect(Palette.kind("_int_malloc") == .runtime)
        #expect(Palette.kind("core::ptr::drop_in_place") == .stdlib)
        #expect(Palette.kind("[unknown]") == .unknown)
        #expect(Palette.auto("main.handler") == Palette.auto("main.handler"))
        // flamegraph.pl's --hash hot colour of the root (empty name): rgb(255,230,55).
        #expect(Palette.perlColor("hot", hash: true, name: "").css == "rgb(255,230,55)")
    }
}
