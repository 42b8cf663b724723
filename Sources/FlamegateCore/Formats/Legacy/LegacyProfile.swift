/// A profile while a legacy reader builds it, shaped as pprof's in-memory one: samples
/// point at locations (one per address), locations at mappings and functions. pprof
/// renumbers everything at the end (`remapLocationIDs`, `remapFunctionIDs`,
/// `remapMappingIDs`); `profile()` then turns it into the model.
struct LegacyProfile {
    struct Sample {
        /// Indices into `locations`, leaf first.
        var locations: [Int]
        var values: [Int64]
        /// The `bytes` numeric label heap readers give every sample (the block size).
        var bytes: Int64? = nil
    }

    struct Location {
        var address: UInt64
        /// Index into `mappings`, or -1.
        var mapping = -1
        /// (index into `functions`, line number).
        var lines: [(function: Int, line: Int64)] = []
    }

    struct Mapping {
        var start: UInt64
        var limit: UInt64
        var offset: UInt64 = 0
        var file = ""
        var buildID = ""
    }

    struct Function {
        var name: String
        var systemName: String
        var filename: String
    }

    var sampleTypes: [ValueType] = []
    var periodType: ValueType? = nil
    var period: Int64 = 0
    var durationNanos: Int64 = 0
    var samples: [Sample] = []
    var locations: [Location] = []
    var mappings: [Mapping] = []
    var functions: [Function] = []
    var dropFrames = ""
    var keepFrames = ""

    /// Location per address, for readers that make one location per distinct address.
    var locationByAddress: [UInt64: Int] = [:]

    init(sampleTypes: [ValueType] = [], periodType: ValueType? = nil, period: Int64 = 0) {
        self.sampleTypes = sampleTypes
        self.periodType = periodType
        self.period = period
    }

    /// The location of `address`, made on first use (pprof's `locs[addr]`).
    mutating func location(_ address: UInt64) -> Int {
        if let i = locationByAddress[address] { return i }
        locations.append(Location(address: address))
        locationByAddress[address] = locations.count - 1
        return locations.count - 1
    }

    /// pprof's `remapLocationIDs`: only the locations samples use, in order of first use.
    mutating func remapLocations() {
        var newIndex = [Int](repeating: -1, count: locations.count)
        var kept: [Location] = []
        for s in samples.indices {
            for k in samples[s].locations.indices {
                let old = samples[s].locations[k]
                if newIndex[old] < 0 {
                    newIndex[old] = kept.count
                    kept.append(locations[old])
                }
                samples[s].locations[k] = newIndex[old]
            }
        }
        locations = kept
        locationByAddress = [:]
    }

    /// pprof's `remapFunctionIDs`: only the functions locations use, in order of first use.
    mutating func remapFunctions() {
        var newIndex = [Int](repeating: -1, count: functions.count)
        var kept: [Function] = []
        for l in locations.indices {
            for k in locations[l].lines.indices {
                let old = locations[l].lines[k].function
                if newIndex[old] < 0 {
                    newIndex[old] = kept.count
                    kept.append(functions[old])
                }
                locations[l].lines[k].function = newIndex[old]
            }
        }
        functions = kept
    }

    /// pprof's `remapMappingIDs`: its fixes for how legacy handlers wrote mappings, then
    /// each location with an address goes to the mapping holding it, or to one fake
    /// mapping covering everything (Go's legacy profiles have no memory map).
    mutating func remapMappings() {
        // A leading /anon_hugepage range right before the next one is the main binary's remap.
        if let m = mappings.first, m.file.hasPrefix("/anon_hugepage"), mappings.count > 1,
            m.limit == mappings[1].start
        {
            mappings.removeFirst()
        }
        // A main binary whose unmapped start is the usual 0x400000 starts there.
        if let m = mappings.first, m.start &- m.offset == 0x400000 {
            mappings[0].start = 0x400000
            mappings[0].offset = 0
        }
        var fake = -1
        next: for l in locations.indices {
            let a = locations[l].address
            if locations[l].mapping >= 0 || a == 0 { continue }
            for (i, m) in mappings.enumerated() where m.start <= a && a < m.limit {
                locations[l].mapping = i
                continue next
            }
            // Handlers that failed to write the first part of a mapping split in two.
            for (i, m) in mappings.enumerated() where m.offset != 0 && m.start &- m.offset <= a && a < m.start {
                mappings[i].start = m.start &- m.offset
                mappings[i].offset = 0
                locations[l].mapping = i
                continue next
            }
            if fake < 0 {
                mappings.append(Mapping(start: 0, limit: UInt64.max))
                fake = mappings.count - 1
            }
            locations[l].mapping = fake
        }
    }

    /// pprof's `addLegacyFrameInfo`: the frames its reports drop for each kind of profile
    /// (allocator frames for heap profiles, lock internals for contention, the CPU
    /// profiler's signal handler for the rest), chosen by the sample types' names.
    mutating func addFrameInfo() {
        let types = sampleTypes.map(\.type)
        let heap: [[String]] = [
            ["allocations", "size"], ["objects", "space"], ["inuse_objects", "inuse_space"],
            ["alloc_objects", "alloc_space"], ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
        ]
        if heap.contains(types) {
            dropFrames = LegacyFrames.allocators
            keepFrames = LegacyFrames.allocatorCallers
        } else if types == ["contentions", "delay"] {
            dropFrames = LegacyFrames.locks
            keepFrames = ""
        } else {
            dropFrames = LegacyFrames.cpuProfiler
            keepFrames = ""
        }
    }

    /// pprof's `CheckValid` where a legacy profile can fail it: every sample has one value
    /// per sample type (a Java profile without its `resolution` attribute has no types).
    func checkValid() throws(LegacyFailure) {
        if sampleTypes.isEmpty && !samples.isEmpty {
            throw LegacyFailure(message: "samples but no sample types (missing sample type information)")
        }
        for s in samples where s.values.count != sampleTypes.count {
            throw LegacyFailure(
                message: "a sample has \(s.values.count) values but the profile has \(sampleTypes.count) sample types")
        }
    }

    /// The model, with ids numbered from 1 as pprof numbers them.
    func profile() -> Profile {
        var p = Profile(sampleTypes: sampleTypes)
        p.periodType = periodType
        p.period = period
        p.durationNanos = durationNanos
        p.dropFrames = dropFrames
        p.keepFrames = keepFrames
        for (i, m) in mappings.enumerated() {
            p.mappings.append(
                FlamegateCore.Mapping(
                    id: UInt64(i + 1), start: m.start, limit: m.limit, offset: m.offset,
                    file: p.strings.intern(m.file), buildID: p.strings.intern(m.buildID)))
        }
        for (i, f) in functions.enumerated() {
            p.functions.append(
                FlamegateCore.Function(
                    id: UInt64(i + 1), name: p.strings.intern(f.name), systemName: p.strings.intern(f.systemName),
                    filename: p.strings.intern(f.filename)))
        }
        for (i, l) in locations.enumerated() {
            let start = Int32(p.lines.count)
            for ln in l.lines { p.lines.append(Line(function: Int32(ln.function), line: ln.line)) }
            p.locations.append(
                FlamegateCore.Location(
                    id: UInt64(i + 1), mapping: Int32(l.mapping), address: l.address, lineStart: start,
                    lineCount: Int32(l.lines.count)))
        }
        let bytesKey = p.strings.intern("bytes")
        p.samples.locationOffsets.reserveCapacity(samples.count + 1)
        for s in samples {
            let labels = s.bytes.map { [Label(key: bytesKey, num: $0)] } ?? []
            p.samples.append(locations: s.locations.map { Int32($0) }, values: s.values, labels: labels)
        }
        return p
    }
}

/// pprof's `DropFrames`/`KeepFrames` for legacy profiles (`legacy_profile.go`): regexes of
/// the frames that are the profiler's or the allocator's, not the program's.
enum LegacyFrames {
    /// Allocation entry points (POSIX, tcmalloc, OS X, Go's runtime, C++ allocators).
    static let allocators = [
        "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "(__)?posix_memalign", "pvalloc", "valloc",
        "realloc",
        "tcmalloc::.*", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign",
        "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray", "tc_deletearray",
        "tc_new_nothrow", "tc_newarray_nothrow",
        "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
        "malloc_zone_memalign", "malloc_zone_free",
        "runtime\\..*",
        "BaseArena::.*", "(::)?do_malloc_no_errno", "(::)?do_malloc_pages", "(::)?do_malloc", "DoSampledAllocation",
        "MallocedMemBlock::MallocedMemBlock", "_M_allocate", "__builtin_(vec_)?delete", "__builtin_(vec_)?new",
        "__gnu_cxx::new_allocator::allocate", "__libc_malloc", "__malloc_alloc_template::allocate", "allocate",
        "cpp_alloc", "operator new(\\[\\])?", "simple_alloc::allocate",
    ].joined(separator: "|")

    /// Go runtime frames kept in the middle of a heap stack.
    static let allocatorCallers = ["runtime\\.panic", "runtime\\.reflectcall", "runtime\\.call[0-9]*"].joined(
        separator: "|")

    /// gperftools' CPU profiler and the signal trampoline.
    static let cpuProfiler = [
        "ProfileData::Add", "ProfileData::prof_handler", "CpuProfiler::prof_handler", "__pthread_sighandler",
        "__restore",
    ].joined(separator: "|")

    /// Lock-profiling and unlock internals.
    static let locks = [
        "RecordLockProfileData", "(base::)?RecordLockProfileData.*", "(base::)?SubmitMutexProfileData.*",
        "(base::)?SubmitSpinLockProfileData.*", "(base::Mutex::)?AwaitCommon.*", "(base::Mutex::)?Unlock.*",
        "(base::Mutex::)?UnlockSlow.*", "(base::Mutex::)?ReaderUnlock.*", "(base::MutexLock::)?~MutexLock.*",
        "(Mutex::)?AwaitCommon.*", "(Mutex::)?Unlock.*", "(Mutex::)?UnlockSlow.*", "(Mutex::)?ReaderUnlock.*",
        "(MutexLock::)?~MutexLock.*", "(SpinLock::)?Unlock.*", "(SpinLock::)?SlowUnlock.*",
        "(SpinLockHolder::)?~SpinLockHolder.*",
    ].joined(separator: "|")
}
