/// pprof spells reports as flags (`-top`, `-traces`, `-dot`, `-peek=REGEX`, `-list=REGEX`); this turns those
/// spellings into subcommands before ArgumentParser sees the arguments.
enum PprofArguments {
    static let reportFlags = [
        "top": "top", "traces": "traces", "text": "top", "tree": "tree", "tags": "tags", "raw": "raw",
        "comments": "comments", "proto": "proto", "dot": "dot", "svg": "svg", "png": "png",
    ]

    /// The arguments with a pprof report flag moved to the front as a subcommand.
    static func rewrite(_ arguments: [String]) -> [String] {
        var args = arguments
        // `-http=HOST:PORT` / `-http HOST:PORT` (pprof's web UI): `serve --http HOST:PORT`.
        if let i = args.firstIndex(where: {
            $0 == "-http" || $0 == "--http" || $0.hasPrefix("-http=") || $0.hasPrefix("--http=")
        }),
            !args.prefix(i).contains(where: { !$0.hasPrefix("-") }), !args.contains("serve")
        {
            let a = args.remove(at: i)
            var address: String? = nil
            if let eq = a.firstIndex(of: "=") {
                address = String(a[a.index(after: eq)...])
            } else if i < args.count {
                address = args.remove(at: i)
            }
            args.insert(contentsOf: ["serve"] + (address.map { ["--http", $0] } ?? []), at: 0)
            return args
        }
        // `-peek=REGEX` / `-list REGEX`: the regex becomes the subcommand's first argument.
        for mode in ["peek", "list"] {
            guard
                let i = args.firstIndex(where: {
                    $0 == "-" + mode || $0 == "--" + mode || $0.hasPrefix("-\(mode)=") || $0.hasPrefix("--\(mode)=")
                }),
                !args.prefix(i).contains(where: { !$0.hasPrefix("-") })
            else { continue }
            let a = args[i]
            args.remove(at: i)
            var regex: String? = nil
            if let eq = a.firstIndex(of: "=") {
                regex = String(a[a.index(after: eq)...])
            } else if i < args.count {
                regex = args.remove(at: i)
            }
            args.insert(contentsOf: [mode] + (regex.map { [$0] } ?? []), at: 0)
        }
        if let i = args.firstIndex(where: { a in
            let bare = a.drop(while: { $0 == "-" })
            return a.hasPrefix("-") && reportFlags[String(bare)] != nil
        }), !args.prefix(i).contains(where: { reportFlags[$0] != nil || ["info", "merge"].contains($0) }) {
            let sub = reportFlags[String(args[i].drop(while: { $0 == "-" }))]!
            args.remove(at: i)
            args.insert(sub, at: 0)
        }
        return args
    }
}
