import FlamegateCore
import Foundation

/// The profiles a server holds: the command line's inputs (read once at start; a URL is
/// captured once, again on request), its bases, and uploads. Views read them through
/// `opener`, so every report runs the CLI's code path on the same bytes: the JSON the API
/// returns is the JSON `flamegate … --format json` prints for the same files.
public final class ProfileStore: @unchecked Sendable {
    /// One loaded profile.
    public struct Entry: Sendable {
        /// The name reports show: the path or URL as given, or the upload's name.
        public var name: String
        /// Captured from a URL (can be captured again).
        public var isURL: Bool
        /// Added by an upload.
        public var uploaded: Bool
    }

    private let lock = NSLock()
    private var bytes: [String: [UInt8]] = [:]
    private var list: [Entry] = []
    private var generationCounter = 0
    private let fetch: InputOpener

    /// Reads `inputs` and `bases` through `fetch` (files, stdin, URLs); the first bad one
    /// stops the server before it listens, with the reader's error.
    public init(inputs: [String], bases: [String], fetch: InputOpener) throws(InputError) {
        self.fetch = fetch
        for path in inputs + bases where bytes[path] == nil {
            let b = try fetch.open(path)
            // Check it now: a server that starts must serve every view.
            _ = try ProfileLoader.load([path], opener: InputOpener { _ throws(InputError) in b })
            bytes[path] = b
        }
        list = inputs.map { Entry(name: $0, isURL: Self.isURL($0), uploaded: false) }
    }

    static func isURL(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    /// The loaded profiles, in `?profile=N` order.
    public var entries: [Entry] { lock.withLock { list } }

    /// Bumped by every change (an upload, a capture): cached results of an older
    /// generation are not served.
    public var generation: Int { lock.withLock { generationCounter } }

    /// Reads profiles from memory only: a name the server was not given is an error, never a
    /// file on the server's disk.
    public var opener: InputOpener {
        InputOpener { [self] path throws(InputError) in
            guard let b = lock.withLock({ bytes[path] }) else {
                throw InputError(source: path, "not a profile loaded in this server")
            }
            return b
        }
    }

    /// Adds an uploaded profile after checking that it reads; returns its index. The name is
    /// made unique (`name (2)`) so that reports and links stay unambiguous.
    public func add(_ data: [UInt8], name: String) throws(InputError) -> Int {
        var unique = name
        lock.withLock {
            var k = 2
            while bytes[unique] != nil {
                unique = "\(name) (\(k))"
                k += 1
            }
        }
        _ = try ProfileLoader.load([unique], opener: InputOpener { _ throws(InputError) in data })
        return lock.withLock {
            var final = unique
            var k = 2
            while bytes[final] != nil {
                final = "\(unique) (\(k))"
                k += 1
            }
            bytes[final] = data
            list.append(Entry(name: final, isURL: false, uploaded: true))
            generationCounter += 1
            return list.count - 1
        }
    }

    /// Captures profile `index` (a URL input) again, replacing what it held when the new
    /// capture reads.
    public func recapture(_ index: Int) throws(InputError) {
        guard let e = lock.withLock({ index >= 0 && index < list.count ? list[index] : nil }) else {
            throw InputError(source: "profile", "no profile \(index)")
        }
        guard e.isURL else { throw InputError(source: e.name, "not a URL: nothing to capture again") }
        let b = try fetch.open(e.name)
        _ = try ProfileLoader.load([e.name], opener: InputOpener { _ throws(InputError) in b })
        lock.withLock {
            bytes[e.name] = b
            generationCounter += 1
        }
    }
}
