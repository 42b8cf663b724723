import ArgumentParser

/// The root command: its help and the list of subcommands (each in Commands/).
struct FlamegateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flamegate",
        abstract: "Profiles into answers: pprof-exact reports, flame graphs, diffs and CI gates.",
        discussion: """
            Reads pprof profiles (Go's /debug/pprof output, gzip or raw protobuf, or any producer). pprof habits work: `flamegate -top -nodecount=40 cpu.pb.gz` is `flamegate top …`.

            Stored profiles are inputs too: `store:branch=main,last=5` (see `flamegate store --help`); `--store sqlite:PATH|postgres://user@host:port/db` on any command names the store they come from (else $FLAMEGATE_STORE, else the default store).

            Exit status: 0 ok, 1 gate failed or regression, 2 usage or input error.

            Environment: FLAMEGATE_MAX_INFLATE=SIZE (e.g. 512MB, 2GiB) caps how large a gzip input may decompress (default: 8 GiB or the machine's memory, if smaller); a gzip bomb stops there with an error.
            """,
        version: "0.1.0",
        subcommands: [
            TopCommand.self, TracesCommand.self, TagsCommand.self, RawCommand.self, CommentsCommand.self,
            ProtoCommand.self,
            TreeCommand.self, PeekCommand.self, ListCommand.self, DotCommand.self, SvgCommand.self, PngCommand.self,
            DiffCommand.self,
            BlameCommand.self, ExplainCommand.self, BenchCommand.self, EscapeCommand.self, InfoCommand.self,
            MergeCommand.self, CollapseCommand.self, ConvertCommand.self, FlameCommand.self, FetchCommand.self,
            GateCommand.self, ServeCommand.self,
            StoreCommand.self, BisectCommand.self,
            TraceCommand.self,
        ])
}
