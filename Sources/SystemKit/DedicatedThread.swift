import Glibc

/// Runs work on a fresh kernel thread, so that per-thread state such as `setns(2)` never leaks into the
/// cooperative thread pool.
public enum DedicatedThread {
    /// Runs `body` on a new thread and waits for its result.
    public static func run<T, E: Error>(_ body: @escaping () throws(E) -> T) throws(E) -> T {
        let box = ResultBox<T, E>(body)
        let unmanaged = Unmanaged.passRetained(box)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue() as? any ThreadEntry
            box?.enter()
            return nil
        }, unmanaged.toOpaque())
        if created != 0 {
            unmanaged.release()
            // No thread could be made; run inline is not safe for namespace work, so report it as the body's
            // failure by running nothing. pthread_create only fails for resource exhaustion.
            fatalError("pthread_create failed: \(Errno(rawValue: created))")
        }
        pthread_join(thread, nil)
        return try box.take()
    }
}

private protocol ThreadEntry: AnyObject {
    func enter()
}

/// Holds the closure and its outcome. The thread writes `outcome` before it exits and the caller reads it
/// only after `pthread_join`, which orders the two accesses.
private final class ResultBox<T, E: Error>: ThreadEntry {
    let body: () throws(E) -> T
    var outcome: Result<T, E>?

    init(_ body: @escaping () throws(E) -> T) { self.body = body }

    func enter() {
        do throws(E) { outcome = .success(try body()) } catch { outcome = .failure(error) }
    }

    func take() throws(E) -> T {
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: preconditionFailure("dedicated thread finished without a result")
        }
    }
}
