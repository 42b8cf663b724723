// `flamegate gate` rules files (YAML through Yams), run against fixed in-memory inputs of
// every kind and rendered in every report format.
@testable import FlamegateCore
@testable import FlamegateRender
@testable import FlamegateGate

// The inputs, by name, as `GateInputCache` would have read them from files. The fuzzer's
// own paths (`base:`, `candidate:`, `profile:`) are replaced by these, so a rules file can
// never make the target open a file (`/dev/zero`, a FIFO) on this machine.
let foldedBase = """
    main;work;runtime.mapassign_faststr 20
    main;work;compute 70
    main;other 10

    """
let foldedCand = """
    main;work;runtime.mapassign_faststr 30
    main;work;runtime.mapassign_faststr;internal/runtime/maps.(*table).grow 10
    main;work;runtime.mapassign_faststr;runtime.mallocgc 10
    main;work;compute 40
    main;other 10

    """
func benchText(_ ns: [Int]) -> String {
    var s = "goos: linux\ngoarch: amd64\npkg: example\n"
    for (i, v) in ns.enumerated() {
        s += "BenchmarkMap-2   \t  10000\t  \(v) ns/op\t  \(100 + i % 2) B/op\t  2 allocs/op\n"
        s += "BenchmarkSum-2   \t  20000\t  \(v / 10) ns/op\t  0 B/op\t  0 allocs/op\n"
    }
    return s + "PASS\n"
}
// Escape logs and an allocs profile of the example service, from the fixtures (the
// escape join needs real file:line sites).
let fixtures = String(#filePath.dropLast("Fuzz/gaterules.swift".count)) + "Tests/Fixtures/"
func fixture(_ path: String) -> String {
    do {
        return String(decoding: try ProfileInput.readBytes(fixtures + path), as: UTF8.self)
    } catch {
        fatalError("fuzz target: \(error)")
    }
}
let metricBase = #"{"latency": {"p99_ms": [10.1, 10.4, 9.9, 10.2, 10.0]}, "binary_bytes": 1000000}"#
let metricCand = #"{"latency": {"p99_ms": [12.3, 12.9, 12.5, 13.1, 12.7]}, "binary_bytes": 1030000}"#

let inputs: [(String, String)] = [
    ("base.folded", foldedBase), ("cand.folded", foldedCand),
    ("base.txt", benchText([100, 102, 99, 101, 100, 103])), ("cand.txt", benchText([120, 125, 119, 122, 121, 124])),
    ("base.m.txt", fixture("escape/base.m.txt")), ("cand.m.txt", fixture("escape/cand.m.txt")),
    ("base.json", metricBase), ("cand.json", metricCand),
]
let baseInputs = inputs.map(\.0).filter { $0.hasPrefix("base.") }
let candInputs = inputs.map(\.0).filter { $0.hasPrefix("cand.") }

/// A cache holding every input, parsed once (each run gets a copy of the parsed values).
let template: GateInputCache = {
    let c = GateInputCache()
    do {
        for (name, text) in inputs { c.bytes[name] = Array(text.utf8) }
        for name in ["base.folded", "cand.folded"] {
            c.profiles[name] = try c.bytes[name]!.withUnsafeBytes { b in
                StackProfile.profile(fromFolded: try FoldedStacks.read(b, source: name))
            }
        }
        c.profiles["allocs.pb.gz"] = try ProfileInput.readProfile(fixtures + "pprof/go1.27/allocs.pb.gz")
        for name in ["base.txt", "cand.txt"] { _ = try c.bench(name) }
        for name in ["base.m.txt", "cand.m.txt"] { _ = try c.escape(name) }
        for name in ["base.json", "cand.json"] { _ = try c.metric(name) }
    } catch {
        fatalError("fuzz target inputs: \(error)")
    }
    return c
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    var config: GateConfig
    do throws(InputError) {
        config = try GateRulesFile.parse(text, source: "gate.yml", directory: "rules")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        require(!error.description.contains("\n"), "multi-line error: \(error.description)")
        return 0
    }
    // What the loader promises about an accepted file.
    require(!config.rules.isEmpty, "accepted a rules file without rules")
    require(Set(config.rules.map(\.name)).count == config.rules.count, "duplicate rule names accepted")
    require(config.alpha > 0 && config.alpha < 1, "alpha \(config.alpha)")
    require(config.confidence > 0 && config.confidence < 1, "confidence \(config.confidence)")
    for r in config.rules {
        require(!r.name.isEmpty, "empty rule name")
        require(r.threshold.isFinite, "threshold \(r.threshold)")
        require(GateRulesFile.allowedCompares[r.kind]?.contains(r.compare) == true, "compare \(r.compare) on \(r.kind)")
        switch r.kind {
        case .profile: require(r.frames != nil, "profile rule without frames")
        case .bench: require(r.benchmark != nil, "bench rule without benchmark")
        case .metric: require(r.key?.isEmpty == false, "metric rule without key")
        case .escape: break
        case .trace: require(r.traceMeasure != nil, "trace rule without measure")
        }
        for p in r.base + r.candidate + r.profile + config.base + config.candidate {
            require(!p.isEmpty, "empty path accepted")
        }
    }
    // Evaluate against the fixed inputs, as `--base`/`--candidate` would.
    for i in config.rules.indices {
        if !config.rules[i].base.isEmpty { config.rules[i].base = baseInputs }
        if !config.rules[i].candidate.isEmpty { config.rules[i].candidate = candInputs }
        if !config.rules[i].profile.isEmpty { config.rules[i].profile = ["allocs.pb.gz"] }
    }
    let cache = GateInputCache()
    cache.bytes = template.bytes
    cache.profiles = template.profiles
    cache.benches = template.benches
    cache.escapes = template.escapes
    cache.metrics = template.metrics
    let outcome: GateOutcome
    do throws(InputError) {
        outcome = try Gate.run(config, base: baseInputs, candidate: candInputs, cache: cache)
    } catch {
        // A selector that matches nothing, a sample type the profile lacks…: one line.
        require(!error.message.isEmpty, "empty gate error")
        require(!error.description.contains("\n"), "multi-line gate error: \(error.description)")
        return 0
    }
    require(outcome.results.count == config.rules.count, "one result per rule")
    require(outcome.exitCode == (outcome.results.contains { $0.status == .fail } ? 1 : 0), "exit code")
    _ = GateReport.text(outcome)
    _ = GateReport.markdown(outcome)
    _ = GateReport.json(outcome)
    _ = GateReport.junit(outcome)
    return 0
}
