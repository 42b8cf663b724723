import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

@Suite struct PprofFunctionNamesTests {
    /// pprof's symbolizer heuristics for names that look like demangled C++.
    @Test func functionNameSimplification() {
        let cases: [(String, String?)] = [
            ("std::vector<int, std::allocator<int> >::push_back(int const&)", "std::vector::push_back"),
            ("a::b(c(d)e)f<g<h>i>j", "a::bfj"),
            ("odd)name(x)<y>", "odd)name(x)"),  // an unmatched ')' stops the parenthesis pass
            ("unclosed::f(int", nil),
            ("com.example.Foo.<init>", nil),  // Java
            ("main.(*Set[...]).Add", nil),  // Go generic method
            ("main.Sum[...]", nil),
            ("runtime.mallocgc", nil),
        ]
        for (name, want) in cases {
            #expect(PprofFunctionNames.simplified(name) == want, "\(name)")
        }
    }
}
