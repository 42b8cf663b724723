import FlamegateStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// Entry point: rewrite pprof-style report flags, parse, run; errors become statuses in
// ExitStatus, the only place the process exits.
signal(SIGPIPE, SIG_IGN)
var arguments = Array(CommandLine.arguments.dropFirst())
do {
    // `store:…` selectors wherever a profile goes (FlamegateStore, through Core's
    // InputSources), from the store `--store` names on any command.
    StoreInputSource.register(store: try StoreOption.take(&arguments))
    arguments = PprofArguments.rewrite(arguments)
    var command = try FlamegateCommand.parseAsRoot(arguments)
    try command.run()
} catch {
    let status = ExitStatus.of(error, arguments: arguments)
    if !status.stdout.isEmpty { try? writeOut(status.stdout) }
    if !status.stderr.isEmpty { writeErr(status.stderr) }
    exit(status.code)
}
