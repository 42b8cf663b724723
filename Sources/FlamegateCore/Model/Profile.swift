/// A value's kind and unit, e.g. `cpu`/`nanoseconds` or `alloc_space`/`bytes`.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
    /// What is measured, e.g. `cpu`, `samples`, `alloc_space`, `inuse_objects`.
    public var type: String
    /// The unit of the values, e.g. `nanoseconds`, `bytes`, `count`.
    public var unit: String
    /// A value type from its kind and unit.
    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }
    /// `type/unit`, as pprof prints sample types (e.g. `cpu/nanoseconds`).
    public var description: String { "\(type)/\(unit)" }
}

/// A binary or library mapped into the profiled process.
public struct Mapping: Hashable, Sendable {
    /// The file's mapping id; locations refer to it, `Location.mapping` holds the index instead.
    public var id: UInt64
    /// First address of the mapped range in the process.
    public var start: UInt64
    /// End of the mapped range (exclusive).
    public var limit: UInt64
    /// Offset in the file that `start` maps to.
    public var offset: UInt64
    /// String id of the file path.
    public var file: Int32
    /// String id of the build id.
    public var buildID: Int32
    /// pprof's `has_functions`: function names in this mapping are symbolized.
    public var hasFunctions = false
    /// pprof's `has_filenames`: source file names are resolved.
    public var hasFilenames = false
    /// pprof's `has_line_numbers`: line numbers are resolved.
    public var hasLineNumbers = false
    /// pprof's `has_inline_frames`: inlined calls are expanded into several lines.
    public var hasInlineFrames = false

    /// A mapping from its id and range; file and build id are string ids, 0 = none.
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
    /// The file's function id; lines refer to functions by index into `Profile.functions`, not by this.
    public var id: UInt64
    /// String id of the display name (what reports show).
    public var name: Int32
    /// String id of the system (e.g. mangled) name; `PprofFunctionNames` fills `name` from it when empty.
    public var systemName: Int32
    /// String id of the source file, 0 = unknown.
    public var filename: Int32
    /// First line of the function in its source file, 0 = unknown.
    public var startLine: Int64
    /// A function from string ids; 0 = empty string for the names and file, 0 = unknown start line.
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
    /// Index into `Profile.functions`, or -1 for a line without a function.
    public var function: Int32
    /// Source line number, 0 = unknown.
    public var line: Int64
    /// Source column, 0 = unknown.
    public var column: Int64
    /// A source position; `function` is a `Profile.functions` index, not a function id.
    public init(function: Int32, line: Int64 = 0, column: Int64 = 0) {
        self.function = function
        self.line = line
        self.column = column
    }
}

/// A program counter with its source positions. Inlined frames are several lines,
/// innermost first; they live in `Profile.lines[lineStart ..< lineStart + lineCount]`.
public struct Location: Hashable, Sendable {
    /// The file's location id; samples refer to locations by index into `Profile.locations` instead.
    public var id: UInt64
    /// Index into `Profile.mappings`, or -1.
    public var mapping: Int32
    /// Program counter (0 when the format has none, e.g. folded stacks).
    public var address: UInt64
    /// Index of the first of this location's lines in `Profile.lines`.
    public var lineStart: Int32
    /// Number of lines (1 + inlined frames); 0 = an unsymbolized address.
    public var lineCount: Int32
    /// pprof's `is_folded`: the profiler merged frames here; kept through merges and writes, not otherwise used.
    public var isFolded: Bool
    /// A location; `mapping` -1 = none, lines are `Profile.lines[lineStart ..< lineStart + lineCount]`.
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
    /// String id of the label key.
    public var key: Int32
    /// String id of the string value; 0 = this is a numeric label.
    public var str: Int32
    /// Numeric value (meaningful when `str` is 0).
    public var num: Int64
    /// String id of the numeric value's unit, 0 = none (pprof guesses one; see `numLabelUnits`).
    public var unit: Int32
    /// A label from string ids; pass `str` for a string label, else `num` (and optionally `unit`).
    public init(key: Int32, str: Int32 = 0, num: Int64 = 0, unit: Int32 = 0) {
        self.key = key
        self.str = str
        self.num = num
        self.unit = unit
    }
    /// True for a string label (`str != 0`), false for a numeric one.
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
    /// Number of values per sample, i.e. `Profile.sampleTypes.count`.
    public var valueCount: Int
    /// Empty when no sample has labels; else `labelOffsets[i] ..< labelOffsets[i+1]` indexes `labels`.
    public var labelOffsets: [Int] = []
    /// All samples' labels, back to back; see `labelOffsets`.
    public var labels: [Label] = []

    /// An empty table whose samples carry `valueCount` values each.
    public init(valueCount: Int) { self.valueCount = valueCount }

    /// Number of samples.
    public var count: Int { locationOffsets.count - 1 }

    /// Range of `locations` holding sample `i`'s stack, leaf first.
    @inlinable public func locationRange(_ i: Int) -> Range<Int> { locationOffsets[i]..<locationOffsets[i + 1] }
    /// Value of sample `i` for sample type index `type`.
    @inlinable public func value(_ i: Int, _ type: Int) -> Int64 { values[i * valueCount + type] }
    /// Range of `labels` for sample `i`; empty when the table has no labels at all.
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
    /// What each sample's values measure, one per value column.
    public var sampleTypes: [ValueType] = []
    /// Type name of the default column (pprof's `default_sample_type`); "" = the last column.
    public var defaultSampleType = ""
    /// The samples, column-wise.
    public var samples = SampleTable(valueCount: 0)
    /// Binaries and libraries; `Location.mapping` indexes this.
    public var mappings: [Mapping] = []
    /// Program counters with their lines; sample stacks index this.
    public var locations: [Location] = []
    /// All locations' lines back to back; see `Location.lineStart`.
    public var lines: [Line] = []
    /// Functions; `Line.function` indexes this.
    public var functions: [Function] = []
    /// Every name in the profile, interned; index 0 is "".
    public var strings = StringTable()
    /// pprof's `drop_frames` regex: matching frames and their callees are cut from stacks on load.
    public var dropFrames = ""
    /// pprof's `keep_frames` regex: exempts matching frames from `dropFrames`; "" = none.
    public var keepFrames = ""
    /// Collection time in nanoseconds since the Unix epoch; 0 = unknown.
    public var timeNanos: Int64 = 0
    /// Profile duration in nanoseconds; 0 = unknown.
    public var durationNanos: Int64 = 0
    /// Unit of `period`, e.g. `cpu/nanoseconds`; nil when the file has none.
    public var periodType: ValueType? = nil
    /// Sampling period in `periodType` units (e.g. 10000000 ns for 100 Hz CPU); 0 = unknown.
    public var period: Int64 = 0
    /// Free-form comments from the file (pprof's `comment`), shown in reports.
    public var comments: [String] = []
    /// pprof's `doc_url`: where this profile type is documented; "" = none.
    public var docURL = ""
    /// What the reader skipped or changed, to show on stderr (e.g. folded lines it ignored); not saved.
    public var readWarnings: [String] = []

    /// An empty profile with no sample types; readers fill it in.
    public init() {}

    /// An empty profile with these sample types, its sample table sized to match.
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
    /// What is wrong, for the user.
    public var message: String
    /// A profile error with its message.
    public init(_ message: String) { self.message = message }
    /// The message alone.
    public var description: String { message }
}

extension Profile {
    /// pprof's `NumLabelUnits`: the first unit seen per numeric label key, else a guess from the key.
    public func numLabelUnits() -> [String: String] {
        var units: [String: String] = [:]
        var keys = Set<String>()
        let s = samples
        // (Stored numeric labels are pprof's: the decoder drops an empty one, as pprof does.)
        for l in s.labels where !l.isString {
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
