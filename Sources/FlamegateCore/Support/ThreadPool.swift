#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The one thread pool: runs `body(0)…body(n-1)` on up to n threads (the caller's among
/// them) and waits for all. Plain pthreads: no Dispatch on the hot paths, and a failed
/// thread start degrades to running that part on the caller's thread.
public enum ThreadPool {
    /// Runs `body(i)` for i in 0..<n, concurrently, and returns when all are done.
    public static func run(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
        if n <= 1 {
            if n == 1 { body(0) }
            return
        }
        var threads: [pthread_t] = []
        final class Box: @unchecked Sendable {
            let f: @Sendable (Int) -> Void
            let i: Int
            init(_ f: @escaping @Sendable (Int) -> Void, _ i: Int) {
                self.f = f
                self.i = i
            }
        }
        for i in 1..<n {
            var t = pthread_t()
            let box = Unmanaged.passRetained(Box(body, i)).toOpaque()
            let rc = pthread_create(
                &t, nil,
                { arg in
                    let b = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
                    b.f(b.i)
                    return nil
                }, box)
            if rc == 0 {
                threads.append(t)
            } else {
                Unmanaged<Box>.fromOpaque(box).release()
                body(i)
            }
        }
        body(0)
        for t in threads { pthread_join(t, nil) }
    }
}

/// One slot per worker thread; each thread writes only its own slots, read after join.
final class SharedSlots<T>: @unchecked Sendable {
    private var slots: [T]
    init(count: Int, initial: T) { slots = [T](repeating: initial, count: count) }
    func set(_ i: Int, _ v: T) { slots.withUnsafeMutableBufferPointer { $0[i] = v } }
    func get(_ i: Int) -> T { slots[i] }
}
