import Foundation

/// Runs blocking work (a capture that waits for the server, a socket, a child process
/// that sleeps) on a thread of its own and awaits it. Swift Testing runs tests on a pool
/// with one thread per core; a test that sleeps on one of them leaves that core idle.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        let t = Thread { c.resume(with: Result { try work() }) }
        t.start()
    }
}
