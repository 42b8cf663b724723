import FlamegateCore

/// Broken pprof files, each with the error it must give: through the library (Core's
/// PprofDecoderTests) and through the CLI, as exit status 2 and one line on stderr
/// (CLI's InputErrorsTests). Bad input is normal input.
public enum MalformedPprof {
    /// A small valid profile, built field by field so each case can break one thing.
    public static func profile(
        functionName: UInt64 = 3, sampleValues: [UInt64] = [1, 10], sampleLocation: UInt64 = 1,
        lineFunction: UInt64 = 1, locationMapping: UInt64 = 1, extraStrings: [String] = [],
        mappingID: UInt64 = 1, locationID: UInt64 = 1, functionID: UInt64 = 1, sampleTypes: Bool = true
    ) -> [UInt8] {
        var w = WireWriter()
        if sampleTypes {
            w.message(1) {
                $0.int(1, 1)
                $0.int(2, 2)
            }
            w.message(1) {
                $0.int(1, 4)
                $0.int(2, 5)
            }
        }
        w.message(2) {
            $0.packed(1, [sampleLocation])
            $0.packed(2, sampleValues)
        }
        w.message(3) {
            $0.int(1, mappingID)
            $0.int(5, 6)
        }
        w.message(4) {
            $0.int(1, locationID)
            $0.int(2, locationMapping)
            $0.int(3, 0x1000)
            $0.message(4) {
                $0.int(1, lineFunction)
                $0.int(2, 42)
            }
        }
        w.message(5) {
            $0.int(1, functionID)
            $0.int(2, functionName)
        }
        for s in ["", "samples", "count", "main.work", "cpu", "nanoseconds", "/bin/app"] + extraStrings {
            w.string(6, s)
        }
        return w.bytes
    }

    public struct Case: Sendable, CustomStringConvertible {
        /// What is broken (the test's name before the cases became a table).
        public var what: String
        /// The file name it is written under.
        public var name: String
        public var bytes: [UInt8]
        /// A fragment of the error message.
        public var fragment: String
        /// The byte offset the error must name, where it is fixed.
        public var offset: Int?
        public var description: String { "\(what): \(name)" }
    }

    public static let cases: [Case] = {
        var out: [Case] = []
        func add(_ what: String, _ bytes: [UInt8], _ name: String, _ fragment: String, offset: Int? = nil) {
            out.append(Case(what: what, name: name, bytes: bytes, fragment: fragment, offset: offset))
        }
        add("stringIndexOutOfRange", profile(functionName: 99), "badstring.pb", "string index 99 is out of range")
        add(
            "sampleValueCountDiffersFromSampleTypes", profile(sampleValues: [1]), "values.pb",
            "has 1 values but the profile has 2 sample types")
        add(
            "sampleValueCountDiffersFromSampleTypes", profile(sampleValues: [1, 2, 3]), "values3.pb",
            "more values than the profile's 2 sample types")
        add(
            "locationIDThatPointsNowhere", profile(sampleLocation: 7), "loc.pb",
            "refers to location id 7, which is not in the profile")
        add(
            "functionIDThatPointsNowhere", profile(lineFunction: 9), "fn.pb",
            "refers to function id 9, which is not in the profile")
        // pprof's CheckValid: every line has a function.
        add(
            "lineWithoutAFunction", profile(lineFunction: 0), "nofn.pb",
            "location id 1 has a line without a function")
        // pprof's CheckValid: ids are never 0 (reserved) and never repeat; samples need types.
        add(
            "reservedID", profile(locationMapping: 0, mappingID: 0), "mapping0.pb",
            "mapping with the reserved id 0")
        add(
            "reservedID", profile(sampleLocation: 0, locationID: 0), "location0.pb",
            "location with the reserved id 0")
        add(
            "reservedID", profile(lineFunction: 0, functionID: 0), "function0.pb",
            "function with the reserved id 0")
        do {
            // A second mapping, location or function with id 1.
            var m = WireWriter()
            m.message(3) { $0.int(1, 1) }
            add("duplicateID", profile() + m.bytes, "twomappings.pb", "two mappings have the same id 1")
            var l = WireWriter()
            l.message(4) {
                $0.int(1, 1)
                $0.int(3, 0x2000)
            }
            add("duplicateID", profile() + l.bytes, "twolocations.pb", "two locations have the same id 1")
            var f = WireWriter()
            f.message(5) {
                $0.int(1, 1)
                $0.int(2, 3)
            }
            add("duplicateID", profile() + f.bytes, "twofunctions.pb", "two functions have the same id 1")
        }
        add(
            "samplesWithoutSampleTypes", profile(sampleTypes: false), "notypes.pb",
            "samples but no sample types")
        do {
            var w = WireWriter()
            w.message(1) {
                $0.int(1, 0)
                $0.int(2, 0)
            }
            add("noStringTable", w.bytes, "nostrings.pb", "the profile has no string table")
        }
        // Two gzip-less profiles back to back: pprof says "concatenated profiles detected".
        do {
            var one = WireWriter()
            one.int(9, 1_700_000_000_000_000_000)
            let bytes = profile() + one.bytes + profile() + one.bytes
            add("concatenatedProfiles", bytes, "concat.pb", "a second time_nanos: two profiles concatenated")
        }
        // A label field that is not a message is a type mismatch for pprof, not an unknown field.
        do {
            var good = profile()
            var w = WireWriter()
            w.message(2) {
                $0.packed(1, [1])
                $0.packed(2, [1, 10])
                $0.int(3, 7)
            }
            good += w.bytes
            add(
                "labelWithTheWrongWireType", good, "label.pb",
                "Sample.label: expected a length-delimited message, found wire type 0")
        }
        do {
            let good = profile()
            add("lengthPastTheEnd", Array(good.dropLast(3)), "truncated.pb", "runs past the end of the data")
            // A 2 GB length field in a tiny file: rejected before any allocation.
            var w = WireWriter()
            w.varint(2 << 3 | 2)
            w.varint(2 << 30)
            add("lengthPastTheEnd", w.bytes, "huge-length.pb", "length 2147483648 runs past the end", offset: 1)
        }
        add("badVarint", [0x48] + [UInt8](repeating: 0xff, count: 11), "varint.pb", "bad varint", offset: 1)
        add("badVarint", [0x48, 0xff, 0xff], "shortvarint.pb", "truncated varint", offset: 1)
        do {
            let gz = Gzip.deflate(profile())
            add("truncatedAndCorruptGzip", Array(gz.prefix(gz.count / 2)), "truncated.pb.gz", "truncated gzip data")
            var corrupt = gz
            for i in 12..<min(30, corrupt.count) { corrupt[i] ^= 0x5a }
            add("truncatedAndCorruptGzip", corrupt, "corrupt.pb.gz", "corrupt gzip data")
        }
        add("emptyAndNonProfileFiles", [], "empty.pb", "empty file: expected a pprof profile")
        // (Text that is no profile at all: LookalikeInputTests, where the CLI names what it looks like.)
        // Bytes that happen to parse as protobuf but hold nothing a profile has.
        add("emptyAndNonProfileFiles", [0x48, 0x01], "nothing.pb", "not a pprof profile")
        return out
    }()
}
