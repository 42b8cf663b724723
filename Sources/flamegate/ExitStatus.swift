import ArgumentParser
import FlamegateCore

/// The one place errors become exit statuses and messages: 0 ok (help, version, a closed
/// stdout), 1 only for a tripped gate or a regression, 2 for every usage, input, output or
/// internal error.
enum ExitStatus {
    /// A tripped gate or a regression: the report was written, the status says it.
    struct Regression: Error {}

    /// The status for `error` and the text to print (stdout for help, stderr otherwise).
    /// `arguments` (after the pprof rewrite) let a mistyped command be named, with the
    /// nearest real one.
    static func of(_ error: Error, arguments: [String] = []) -> (code: Int32, stdout: String, stderr: String) {
        switch error {
        case is ReaderWentAway: return (0, "", "")
        case is Regression: return (1, "", "")
        case let e as InputError: return (2, "", "flamegate: \(e)\n")
        case let e as OutputError: return (2, "", "flamegate: \(e.message)\n")
        default: break
        }
        let code = FlamegateCommand.exitCode(for: error)
        let message = FlamegateCommand.fullMessage(for: error)
        if code == .success { return (0, message.isEmpty ? "" : message + "\n", "") }
        if let unknown = unknownCommand(arguments) { return (2, "", "flamegate: \(unknown)\n") }
        // An unknown option: ArgumentParser's first line (with its "Did you mean") alone.
        let first = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        if first.hasPrefix("Error: Unknown option") {
            return (2, "", "flamegate: \(first) (see --help)\n")
        }
        // ArgumentParser's usage errors are 64; the convention here is 2.
        return (2, "", message.isEmpty ? "flamegate: \(error)\n" : "flamegate: \(message)\n")
    }

    /// "unknown command 'tpo'. Did you mean 'top'?" when the first word that is not a
    /// subcommand stands where a subcommand must (the root, `bench`, `escape`).
    static func unknownCommand(_ arguments: [String]) -> String? {
        var command: ParsableCommand.Type = FlamegateCommand.self
        var path = "flamegate"
        for word in arguments {
            let subs = command.configuration.subcommands
            if subs.isEmpty || command.configuration.defaultSubcommand != nil || word.hasPrefix("-") { return nil }
            if let next = subs.first(where: {
                $0.configuration.commandName == word || $0.configuration.aliases.contains(word)
            }) {
                command = next
                path += " " + word
                continue
            }
            if word == "help" { return nil }
            var m = "unknown command '\(word)'"
            if let near = Suggest.closest(to: word, among: subs.compactMap { $0.configuration.commandName }) {
                m += ". Did you mean '\(near)'?"
            }
            return m + " (see '\(path) --help')"
        }
        return nil
    }
}
