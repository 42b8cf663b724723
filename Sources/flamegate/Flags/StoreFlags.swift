import ArgumentParser

/// `--store`: which profile store (the `store` commands and `bisect`).
struct StoreFlags: ParsableArguments {
    @Option(
        name: names("store"),
        help: ArgumentHelp(
            "The store: sqlite:PATH or postgres://user@host:port/db (default: $FLAMEGATE_STORE, else $XDG_DATA_HOME/flamegate/store.sqlite).",
            valueName: "store"))
    var store: String?
}
