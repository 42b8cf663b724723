import ArgumentParser
import FlamegateCore

/// The one place errors become exit statuses and messages: 0 ok (help, version, a closed
/// stdout), 1 only for a tripped gate or a regression, 2 for every usage, input, output or
/// internal error.
enum ExitStatus {
    /// A tripped gate or a regression: the report was written, the status says it.
    struct Regression: Error {}

    /// The status for `error` and the text to print (stdout for help, stderr otherwise).
    static func of(_ error: Error) -> (code: Int32, stdout: String, stderr: String) {
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
        // ArgumentParser's usage errors are 64; the convention here is 2.
        return (2, "", message.isEmpty ? "flamegate: \(error)\n" : "flamegate: \(message)\n")
    }
}
