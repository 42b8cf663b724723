import FlamegateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A one-line progress display on stderr, only when stderr is a terminal: a countdown
/// while the server profiles (`seconds`), then the bytes received.
struct CaptureProgress {
    let active: Bool
    let label: String
    let seconds: Int?
    private final class Box: @unchecked Sendable {
        var shown = false
        var last = ""
    }
    private let box = Box()

    init(enabled: Bool, label: String, seconds: Int?) {
        self.active = enabled && isatty(2) == 1
        self.label = label
        self.seconds = seconds
    }

    /// The text shown for a moment of the capture (public for tests).
    static func line(label: String, seconds: Int?, elapsed: Double, bytes: Int) -> String {
        if bytes == 0, let seconds, elapsed < Double(seconds) {
            let left = max(0, Int((Double(seconds) - elapsed).rounded(.up)))
            return "capturing \(label): \(left) s left of \(seconds) s"
        }
        if bytes == 0 { return "capturing \(label): waiting for the answer (\(Int(elapsed)) s)" }
        return "capturing \(label): received \(byteCount(bytes))"
    }

    static func byteCount(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 {
            v /= 1024
            i += 1
        }
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[i])"
    }

    func update(elapsed: Double, bytes: Int) {
        guard active else { return }
        let text = CaptureProgress.line(label: label, seconds: seconds, elapsed: elapsed, bytes: bytes)
        if text == box.last { return }
        box.shown = true
        box.last = text
        write("\r\u{1B}[K" + text)
    }

    func finish() {
        guard active, box.shown else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ s: String) {
        var s = s
        _ = s.withUTF8 { b in Glibc.write(2, b.baseAddress, b.count) }
    }
}
