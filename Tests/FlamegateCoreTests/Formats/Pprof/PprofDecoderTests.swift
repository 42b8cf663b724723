import FlamegateTestSupport
import Foundation
import Testing

@testable import FlamegateCore

/// Decoding pprof: the model it builds, and bad input as a clear error (never a trap).
@Suite struct PprofDecoderTests {
    @Test func decodedModelKeepsInlinedFramesInnermostFirst() throws {
        let p = try ProfileInput.readProfile(Fixtures.path("pprof/go1.27/cpu.pb.gz"))
        let multi = p.locations.indices.filter { p.locations[$0].lineCount > 1 }
        #expect(!multi.isEmpty, "Go CPU profiles carry inlined frames")
        #expect(
            p.sampleTypes == [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")])
        #expect(p.period == 10_000_000)
        #expect(p.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
        // Every sample's location indices resolve.
        #expect(p.samples.locations.allSatisfy { $0 >= 0 && Int($0) < p.locations.count })
    }

    @Test func theValidBaseProfileDecodes() throws {
        let bytes = MalformedPprof.profile()
        let p = try bytes.withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(p.samples.count == 1)
        #expect(p.functionName(p.lines[0].function) == "main.work")
        #expect(p.strings[p.mappings[0].file] == "/bin/app")
        #expect(p.totals() == [1, 10])
    }

    /// pprof leaves such a location unmapped rather than refusing the profile.
    @Test func mappingIDThatPointsNowhereLeavesTheLocationUnmapped() throws {
        let p = try MalformedPprof.profile(locationMapping: 5).withUnsafeBytes { try PprofDecoder.decode($0) }
        #expect(p.locations[0].mapping == -1)
        #expect(p.totals() == [1, 10])
    }

    @Test func invalidUTF8NamesAreReadNotTrapped() throws {
        var bytes = MalformedPprof.profile(functionName: 7, extraStrings: ["x"])
        // Replace the trailing "x" string with invalid UTF-8 bytes of the same length.
        bytes[bytes.count - 1] = 0xff
        let p = try bytes.withUnsafeBytes { try PprofDecoder.decode($0) }
        // Kept as the byte (pprof prints it raw); U+FFFD only where an output must be UTF-8.
        let name = p.functionName(p.lines[0].function)
        #expect(LosslessUTF8.bytes(name) == [0xff])
        #expect(LosslessUTF8.replacingRawBytes(name) == "\u{FFFD}")
    }

    /// Each broken file: a clear error naming the file, the problem and, where fixed, the offset.
    @Test(arguments: MalformedPprof.cases)
    func refusedWithAClearError(_ c: MalformedPprof.Case) throws {
        let path = try Fixtures.tempFile(c.name, c.bytes, group: "malformed")
        do {
            _ = try ProfileInput.readProfile(path)
            Issue.record("\(c.name): decoded without error")
        } catch {
            #expect(error.description.contains(c.fragment), "\(c.name): \(error.description)")
            #expect(error.source == path)
            if let offset = c.offset { #expect(error.offset == offset, "\(c.name): \(error.description)") }
        }
    }

    /// `Tests/Fixtures/malformed/pprof/`: each a clean error from the decoder and the reader.
    @Test(arguments: Fixtures.malformed("pprof"))
    func pprof(_ path: String) throws {
        let b = try Fixtures.bytes(atPath: path)
        #expect(throws: DecodeError.self) {
            _ = try b.withUnsafeBytes { try PprofDecoder.decode(possiblyCompressed: $0, gzipLimit: 64 << 20) }
        }
        #expect(throws: InputError.self) { _ = try ProfileInput.readProfile(path) }
        #expect(throws: InputError.self) { _ = try ProfileInput.readAny(path) }
    }

    /// The input that used to size a buffer by samples × sample types (32 GiB) and trap.
    @Test func valueBufferIsBoundedByTheBytes() throws {
        let path = Fixtures.path("malformed/pprof/types-times-samples.pb.gz")
        let e = try #require(throws: InputError.self) { _ = try ProfileInput.readProfile(path) }
        #expect(e.message.contains("sample 0 has 0 values but the profile has 65536 sample types"))
    }
}
