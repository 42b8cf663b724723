/// One stored profile as `store list` shows it.
public struct StoredProfile: Sendable, Equatable {
    /// The store's id (never reused).
    public var id: Int64
    /// SHA-256 of the stored bytes (hex).
    public var hash: String
    /// Size of the stored bytes.
    public var size: Int64
    /// Labels (`branch`, `commit`, `service`…), sorted by key.
    public var labels: [(key: String, value: String)]
    /// When it was added, ns since the Unix epoch.
    public var addedNanos: Int64
    /// The profile's own collection time (0 = unknown) and duration (0 = unknown), ns.
    public var timeNanos: Int64
    public var durationNanos: Int64
    /// The order of the store: the profile's time, else when it was added.
    public var atNanos: Int64
    /// `type/unit` of each sample type.
    public var sampleTypes: [String]
    /// The file it was added from.
    public var source: String

    /// The value of label `key`, if any.
    public func label(_ key: String) -> String? { labels.first { $0.key == key }?.value }

    public static func == (a: StoredProfile, b: StoredProfile) -> Bool {
        a.id == b.id && a.hash == b.hash && a.labels.map { "\($0.key)=\($0.value)" } == b.labels.map { "\($0.key)=\($0.value)" }
    }
}

/// Which stored profiles: all labels must match; then `since`, then the `last` N.
public struct StoreFilter: Sendable {
    public var labels: [(key: String, value: String)] = []
    /// Only profiles at or after this time (ns).
    public var sinceNanos: Int64? = nil
    /// Only the newest N (in store order), returned oldest first.
    public var last: Int? = nil
    /// Only these ids.
    public var ids: [Int64]? = nil
    public init(labels: [(key: String, value: String)] = [], sinceNanos: Int64? = nil, last: Int? = nil, ids: [Int64]? = nil) {
        (self.labels, self.sinceNanos, self.last, self.ids) = (labels, sinceNanos, last, ids)
    }
}

/// What `store add` did with one input.
public struct StoreAddResult: Sendable {
    public var source: String
    public var id: Int64
    /// false: the same content with the same labels was already stored under `id`.
    public var added: Bool
    public var hash: String
}
