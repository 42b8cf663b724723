/// A value's kind and unit, e.g. `cpu`/`nanoseconds` or `alloc_space`/`bytes`.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
    public var type: String
    public var unit: String
    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }
    public var description: String { "\(type)/\(unit)" }
}

/// A binary or library mapped into the profiled process.
public struct Mapping: Hashable, Sendable {
    public var id: UInt64
    public var start: UInt64
    public var limit: UInt64
    public var offset: UInt64
    /// String id of the file path.
    public var file: Int32
    /// String id of the build id.
    public var buildID: Int32
    public var hasFunctions = false
    public var hasFilenames = false
    public var hasLineNumbers = false
    public var hasInlineFrames = false

    public init(
        id: UInt64, start: UInt64 = 0, limit: UInt64 = 0, offset: UInt64 = 0, file: Int32 = 0,
        buildID: Int32 = 0
    ) {
        self.id = id
        self.start = start
        self.limit = limit
        self.offset = offset
        self.file = file
        self.buildID = buildID
    }
}

/// A function: names, source file and first line. Names are string ids.
public struct Function: Hashable, Sendable {
    public var id: UInt64
    public var name: Int32
    public var systemName: Int32
    public var filename: Int32
    public var startLine: Int64
    public init(id: UInt64, name: Int32, systemName: Int32 = 0, filename: Int32 = 0, startLine: Int64 = 0) {
        self.id = id
        self.name = name
        self.systemName = systemName
        self.filename = filename
        self.startLine = startLine
    }
}

/// One source position of a location. `function` is an index into `Profile.functions`, or -1.
public struct Line: Hashable, Sendable {
    public var function: Int32
    public var line: Int64
    public var column: Int64
    public init(function: Int32, line: Int64 = 0, column: Int64 = 0) {
        self.function = function
        self.line = line
        self.column = column
    }
}

/// A program counter with its source positions. Inlined frames are several lines,
/// innermost first; they live in `Profile.lines[lineStart ..< lineStart + lineCount]`.
public struct Location: Hashable, Sendable {
    public var id: UInt64
    /// Index into `Profile.mappings`, or -1.
    public var mapping: Int32
    public var address: UInt64
    public var lineStart: Int32
    public var lineCount: Int32
    public var isFolded: Bool
    public init(
        id: UInt64, mapping: Int32 = -1, address: UInt64 = 0, lineStart: Int32 = 0, lineCount: Int32 = 0,
        isFolded: Bool = false
    ) {
        self.id = id
        self.mapping = mapping
        self.address = address
        self.lineStart = lineStart
        self.lineCount = lineCount
        self.isFolded = isFolded
    }
}

/// A sample label: a string label when `str != 0`, else a number with an optional unit.
public struct Label: Hashable, Sendable {
    public var key: Int32
    public var str: Int32
    public var num: Int64
    public var unit: Int32
    public init(key: Int32, str: Int32 = 0, num: Int64 = 0, unit: Int32 = 0) {
        self.key = key
        self.str = str
        self.num = num
        self.unit = unit
    }
    public var isString: Bool { str != 0 }
}

/// All samples, stored column-wise: millions of samples must not mean millions of heap objects.
public struct SampleTable: Sendable {
    /// `locationOffsets[i] ..< locationOffsets[i+1]` indexes `locations` for sample i.
    public var locationOffsets: [Int] = [0]
    /// Location indices (into `Profile.locations`), leaf first.
    public var locations: [Int32] = []
    /// `valueCount` values per sample, row-major.
    public var values: [Int64] = []
    public var valueCount: Int
    /// Empty when no sample has labels; else `labelOffsets[i] ..< labelOffsets[i+1]` indexes `labels`.
    public var labelOffsets: [Int] = []
    public var labels: [Label] = []

    public init(valueCount: Int) { self.valueCount = valueCount }

    public var count: Int { locationOffsets.count - 1 }

    @inlinable public func locationRange(_ i: Int) -> Range<Int> { locationOffsets[i]..<locationOffsets[i + 1] }
    @inlinable public func value(_ i: Int, _ type: Int) -> Int64 { values[i * valueCount + type] }
    @inlinable public func labelRange(_ i: Int) -> Range<Int> {
        labelOffsets.isEmpty ? 0..<0 : labelOffsets[i]..<labelOffsets[i + 1]
    }

    /// Appends one sample.
    public mutating func append<L: Collection<Int32>, V: Collection<Int64>>(
        locations locs: L, values vals: V, labels lbls: [Label] = []
    ) {
        precondition(vals.count == valueCount, "value count must match sample types")
        locations.append(contentsOf: locs)
        locationOffsets.append(locations.count)
        values.append(contentsOf: vals)
        if !lbls.isEmpty && labelOffsets.isEmpty {
            labelOffsets = [Int](repeating: 0, count: count)
        }
        if !labelOffsets.isEmpty {
            labels.append(contentsOf: lbls)
            labelOffsets.append(labels.count)
        }
    }
}

/// A profile: the model every format reads into and every report reads from.
/// Mirrors pprof's `profile.proto`; plain values, no I/O.
public struct Profile: Sendable {
    public var sampleTypes: [ValueType] = []
    public var defaultSampleType = ""
    public var samples = SampleTable(valueCount: 0)
    public var mappings: [Mapping] = []
    public var locations: [Location] = []
    public var lines: [Line] = []
    public var functions: [Function] = []
    public var strings = StringTable()
    public var dropFrames = ""
    public var keepFrames = ""
    public var timeNanos: Int64 = 0
    public var durationNanos: Int64 = 0
    public var periodType: ValueType? = nil
    public var period: Int64 = 0
    public var comments: [String] = []
    public var docURL = ""

    public init() {}

    public init(sampleTypes: [ValueType]) {
        self.sampleTypes = sampleTypes
        self.samples = SampleTable(valueCount: sampleTypes.count)
    }

    /// Lines of location `index`, innermost first.
    @inlinable public func lines(ofLocation index: Int) -> ArraySlice<Line> {
        let l = locations[index]
        return lines[Int(l.lineStart)..<Int(l.lineStart + l.lineCount)]
    }

    /// Name of a function index, or "" for -1.
    public func functionName(_ f: Int32) -> String { f < 0 ? "" : strings[functions[Int(f)].name] }

    /// Resolves pprof's `sample_index`: "" = default_sample_type else the last type;
    /// a number; a type name (with pprof's legacy `inuse_` prefix tolerance).
    public func sampleIndex(named name: String) throws(ProfileError) -> Int {
        if sampleTypes.isEmpty { throw ProfileError("profile has no sample types") }
        if name.isEmpty {
            if !defaultSampleType.isEmpty, let i = sampleTypes.firstIndex(where: { $0.type == defaultSampleType }) {
                return i
            }
            return sampleTypes.count - 1
        }
        if let i = Int(name) {
            guard i >= 0 && i < sampleTypes.count else {
                throw ProfileError("sample_index \(name) is outside the range [0..\(sampleTypes.count - 1)]")
            }
            return i
        }
        let noInuse = name.hasPrefix("inuse_") ? String(name.dropFirst(6)) : name
        if let i = sampleTypes.firstIndex(where: { $0.type == name || $0.type == noInuse }) { return i }
        throw ProfileError(
            "sample_index \"\(name)\" must be one of: [\(sampleTypes.map(\.type).joined(separator: " "))]")
    }

    /// Sum of each sample type over all samples.
    public func totals() -> [Int64] {
        var t = [Int64](repeating: 0, count: sampleTypes.count)
        let n = sampleTypes.count
        if n == 0 { return t }
        samples.values.withUnsafeBufferPointer { v in
            var i = 0
            while i < v.count {
                for k in 0..<n { t[k] &+= v[i + k] }
                i += n
            }
        }
        return t
    }
}

/// A semantic problem with a profile (as opposed to a byte-level decoding error).
public struct ProfileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Profile {
    /// pprof's `NumLabelUnits`: the first unit seen per numeric label key, else a guess from the key.
    public func numLabelUnits() -> [String: String] {
        var units: [String: String] = [:]
        var keys = Set<String>()
        let s = samples
        for l in s.labels where !l.isString && (l.num != 0 || l.unit != 0) {
            let k = strings[l.key]
            keys.insert(k)
            if l.unit != 0 && units[k] == nil { units[k] = strings[l.unit] }
        }
        for k in keys where units[k] == nil {
            units[k] = (k == "alignment" || k == "request") ? "bytes" : k
        }
        return units
    }
}
