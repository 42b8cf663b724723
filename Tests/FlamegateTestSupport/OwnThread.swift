import Foundation

/// Runs `body` with a thread of its own as the task's executor, for tests that mostly
/// wait: on a capture, a server, a child process that sleeps.
///
/// Swift Testing runs tests on the shared pool, one thread per core. A test that blocks
/// there leaves a core idle for as long as it waits; and a test that awaits is resumed
/// only after every test case already queued for the pool. Here the body still runs in
/// the test's task (its expectations are the test's), but its jobs — and any blocking
/// call in it — run on a thread that only it uses.
public func onOwnThread<T>(_ body: () async throws -> T) async throws -> T {
    let executor = ThreadExecutor()
    defer { executor.finish() }
    return try await withTaskExecutorPreference(executor) { try await body() }
}

/// A task executor with one dedicated thread, which ends after `finish()` once its
/// queue is empty.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    init() {
        let t = Thread { [self] in run() }
        t.name = "onOwnThread"
        t.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
