extension FindingRules {
    /// The built-in rule set. Users extend it with `flamegate explain --rules FILE`
    /// (same format; a rule with the same id replaces the built-in one).
    /// Map frames cover both Go families: classic (up to 1.23) and Swiss tables (1.24+).
    public static let defaultRulesYAML = #"""
        # Flamegate finding rules. Each rule names frames (a regex over function names),
        # how wide they must be (min_share: percent of the profile total, measured over
        # samples that contain a matching frame (cum) or end in one (flat)), what the
        # pattern usually means, and the commands that confirm it.
        rules:
          - id: map-churn
            title: Maps created or grown on every call
            frames: '^runtime\.(makemap|makemap_small|makeBucketArray|hashGrow|growWork.*|evacuate.*|mapclear)$|^internal/runtime/maps\.(newTable|newGroups|NewMap|NewEmptyMap|\(\*Map\)\.grow.*|\(\*Map\)\.split|\(\*table\)\.(grow|rehash|split|reset))$'
            measure: cum
            min_share: 3
            sample_types: [cpu, samples, alloc_space, alloc_objects]
            meaning: |
              Maps are being built or grown over and over: typically a map made per request or per
              call, or filled without a size hint, so the runtime keeps allocating tables and
              rehashing. Pre-size with make(map[K]V, n), reuse the map across calls (clear it), or
              use a slice when keys are small integers; check escape analysis for the map.
            check:
              - flamegate blame {profile}
              - flamegate peek 'runtime\.(makemap|mapassign)|internal/runtime/maps\.' {profile}
              - go build -gcflags=-m ./... 2>&1 | grep 'make(map'
          - id: map-access
            title: Heavy map access and hashing
            frames: '^runtime\.(mapaccess.*|mapassign.*|mapdelete.*|mapiter.*|mapIter.*|aeshash.*|memhash.*|strhash.*)$|^internal/runtime/maps\.'
            measure: cum
            min_share: 15
            sample_types: [cpu, samples]
            meaning: |
              A large share of CPU goes to map lookups, inserts and hashing. Consider caching
              lookups, smaller keys (ints instead of strings), or a slice/array index.
            check:
              - flamegate blame {profile}
              - flamegate peek 'runtime\.mapaccess|runtime\.mapassign' {profile}
          - id: gc-pressure
            title: Allocation and garbage-collection pressure
            frames: '^runtime\.(mallocgc.*|newobject|makeslice|growslice|gcWriteBarrier.*|wbBufFlush.*|gcBgMarkWorker|gcDrain.*|scanobject|greyobject|markroot.*|gcAssistAlloc.*|bgsweep|sweepone)$'
            measure: cum
            min_share: 15
            sample_types: [cpu, samples]
            meaning: |
              The program spends much of its CPU allocating and collecting garbage. Find the
              allocating code (blame charges mallocgc to its callers), then take an allocs profile
              to see bytes and objects per call site; reduce allocations (reuse buffers, sync.Pool,
              avoid interface boxing and per-call maps/slices) or raise GOGC.
            check:
              - flamegate blame {profile}
              - curl -o allocs.pb.gz http://HOST/debug/pprof/allocs && flamegate top -sample_index=alloc_space allocs.pb.gz
          - id: scheduler-churn
            title: Goroutine scheduling and parking
            frames: '^runtime\.(mcall|schedule|park_m|gopark|goparkunlock|findRunnable|findrunnable|stealWork|runqgrab|goready|ready)$'
            measure: cum
            min_share: 10
            sample_types: [cpu, samples]
            meaning: |
              Much time goes to the scheduler: many short-lived goroutines, goroutines blocking
              and waking constantly (channels, mutexes), or too much parallelism for the work.
              A goroutine profile shows how many goroutines wait where; a block profile shows
              what they block on.
            check:
              - flamegate top http://HOST/debug/pprof/goroutine
              - flamegate top -sample_index=delay http://HOST/debug/pprof/block
          - id: network-wait
            title: Waiting on network I/O
            frames: '^(internal/poll\.\(\*pollDesc\)\.wait|internal/poll\.runtime_pollWait|net\.\(\*pollDesc\)\.wait|runtime\.netpollblock|runtime\.netpoll)$'
            measure: cum
            min_share: 5
            meaning: |
              Goroutines wait on sockets: slow peers, DNS lookups, or a connection pool that is
              exhausted (requests queue for a free connection). Check the block profile and the
              client's pool limits (e.g. http.Transport.MaxIdleConnsPerHost) and timeouts.
            check:
              - flamegate top -sample_index=delay http://HOST/debug/pprof/block
              - flamegate peek 'pollDesc' {profile}
          - id: json-reflection
            title: Reflection in JSON encoding/decoding
            frames: '^reflect\.'
            under: '^encoding/json'
            measure: cum
            min_share: 5
            meaning: |
              encoding/json walks values by reflection. On hot paths consider encoding fewer or
              smaller values, caching encoded output, json.RawMessage, or a code-generated
              encoder.
            check:
              - flamegate peek '^encoding/json\.' {profile}
          - id: lock-contention
            title: Lock contention
            frames: '^(sync\.\(\*Mutex\)\.lockSlow|sync\.\(\*RWMutex\)\.(RLock|Lock)|internal/sync\.\(\*Mutex\)\.lockSlow|runtime\.(semacquire.*|semrelease.*|lock2|lockWithRank)|sync\.runtime_Semacquire.*|sync\.runtime_SemacquireMutex)$'
            measure: cum
            min_share: 5
            meaning: |
              Goroutines fight over a mutex. A mutex profile shows where the lock is released
              after being held while others waited; shrink the critical section, shard the data,
              or use atomics/sync.Map for read-mostly data.
            check:
              - flamegate top -sample_index=delay http://HOST/debug/pprof/mutex
              - flamegate peek 'lockSlow|semacquire' {profile}
          - id: async-preemption
            title: Frequent asynchronous preemption
            frames: '^runtime\.asyncPreempt.*$'
            measure: cum
            min_share: 5
            sample_types: [cpu, samples]
            meaning: |
              Long-running loops without function calls are being preempted by signal. Usually
              harmless, but a large share points at tight loops worth optimising (or GC stop-the-world
              pressure).
            check:
              - flamegate peek 'asyncPreempt' {profile}
          - id: syscalls
            title: System-call heavy
            frames: '^(syscall\.(Syscall|Syscall6|RawSyscall|RawSyscall6|rawSyscallNoError)|internal/runtime/syscall(/linux)?\.Syscall6|runtime/internal/syscall\.Syscall6|runtime\.(entersyscall|exitsyscall.*|futex|usleep|nanotime1|write1|read))$'
            measure: cum
            min_share: 20
            sample_types: [cpu, samples]
            meaning: |
              Much CPU is spent in or around system calls: small unbuffered reads/writes, futex
              wake-ups from channel/mutex traffic, or timers. Buffer I/O (bufio), batch writes,
              and check what calls these frames.
            check:
              - flamegate blame {profile}
              - flamegate peek 'syscall|futex' {profile}
        """#
}
