import ArgumentParser

/// `flamegate store …`: the profile history.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Keep profiles with labels (SQLite by default, PostgreSQL for a team) and read them back as store:… inputs.",
        discussion: """
            The store is `--store sqlite:PATH` or `--store postgres://user@host:port/db`, else $FLAMEGATE_STORE, else $XDG_DATA_HOME/flamegate/store.sqlite (~/.local/share/… without XDG_DATA_HOME).

            Anywhere a PROFILE goes, `store:KEY=VALUE,…` selects stored profiles by label, with `last=N` (the newest N), `since=TIME` (2026-12-01, 2026-12-01T10:00:00Z, Unix seconds, or an age: 24h, 7d) and `id=N`; several matches are merged as pprof merges several files, and the gate takes each as a run. Selectors read the store `--store` names on that command (`flamegate top --store postgres://… store:branch=main,last=5`), else $FLAMEGATE_STORE, else the default store.

            Examples:
              flamegate store add --label branch=main --label commit=$(git rev-parse HEAD) --label service=pay cpu.pb.gz
              flamegate store list --label branch=main
              flamegate top store:branch=main,service=pay,last=5
              flamegate gate --rules gate.yml --base store:branch=main,service=pay,last=5 --candidate pr.pb.gz
              flamegate store gc --keep 20
            """,
        subcommands: [
            StoreAddCommand.self, StoreListCommand.self, StoreRmCommand.self, StoreGcCommand.self, StoreExportCommand.self,
        ])
}
