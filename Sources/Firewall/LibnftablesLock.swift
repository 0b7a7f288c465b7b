import Glibc

/// Serialises libnftables use within the process. libnftables contexts share process-wide state (its libxtables
/// and GMP initialisation run in every `nft_ctx_new`), and one change at a time also keeps Splice's create-then-
/// delete table idiom from interleaving with another change made from this process.
final class LibnftablesLock: @unchecked Sendable {
    // Invariant: `mutex` is allocated once, initialised in `init`, never moved or freed (the lock is a global that
    // lives as long as the process), and only touched through pthread_mutex_lock/unlock.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// The process's one lock.
    static let shared = LibnftablesLock()

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    /// Runs `body` while holding the lock.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
