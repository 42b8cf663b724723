/// Where an input's bytes come from. Core reads files and stdin (`-`); a front end that
/// accepts URLs passes Capture's opener, so that no networking lives below Capture.
public struct InputOpener: Sendable {
    /// Reads the whole input named by `path`.
    public var open: @Sendable (String) throws(InputError) -> [UInt8]

    /// An opener from a closure.
    public init(_ open: @escaping @Sendable (String) throws(InputError) -> [UInt8]) {
        self.open = open
    }

    /// Files and stdin only.
    public static let files = InputOpener { path throws(InputError) in try ProfileInput.readBytes(path) }
}
