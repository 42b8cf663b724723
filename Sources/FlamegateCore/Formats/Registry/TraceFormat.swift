/// Go execution traces (`runtime/trace`, `/debug/pprof/trace`, `go test -trace`): read as
/// one of the profiles `go tool trace -pprof=KIND` derives from them (`TracePprof`), the
/// kind named by `--kind` (`ProfileReadContext.traceKind`). Recognised by the header
/// `go 1.N trace`, before pprof's catch-all binary test claims the bytes.
public struct TraceFormat: ProfileFormat {
    /// The name in messages.
    public var name: String { "Go execution trace" }
    /// The Go execution trace format.
    public init() {}
    /// The 16-byte header `go 1.N trace\0\0\0`, any N (old versions are refused by the reader, by name).
    public func sniff(_ head: UnsafeRawBufferPointer) -> Bool { TraceReader.version(head) != nil }
    /// The profile of the kind asked for; without one, says which kinds there are.
    public func read(_ bytes: UnsafeRawBufferPointer, context c: ProfileReadContext) throws(InputError) -> Profile {
        guard let name = c.traceKind else {
            throw InputError(
                source: c.source,
                "a Go execution trace: choose the profile to derive from it with --kind sched|sync|net|syscall (as `go tool trace -pprof=KIND`)")
        }
        guard let kind = TraceProfileKind(rawValue: name) else {
            throw InputError(source: c.source, "unknown trace profile kind '\(name)': expected sched, sync, net or syscall")
        }
        return try TracePprof.profile(bytes, kind: kind, source: c.source)
    }
}
