/// What the engine keeps of one container while the daemon runs, beside its record: who waits on it, its attach
/// sessions, its pending restart and back-off, its log followers and health check loop. Not persisted.
/// `ContainerEngine.live` holds an entry only while it holds something, and drops it when the container is removed.
struct ContainerLiveState {
    /// Waiters for its next exit (`wait`, `stop`, `kill`), answered with the exit code.
    var exitWaiters: [AsyncStream<Int32>.Continuation] = []
    /// Waiters for its removal (`wait --condition=removed`), answered with its last exit code.
    var removalWaiters: [AsyncStream<Int32>.Continuation] = []
    /// Attach sessions waiting for a created container to start: answered true once it runs, false if it never will.
    var startWaiters: [AsyncStream<Bool>.Continuation] = []
    /// The attach sessions open on it.
    var attachers = 0
    /// Whether its auto-removal waits for the last attach session to end.
    var pendingAutoRemove = false
    /// `restart` is stopping it to start it again: its next exit does not remove it (`--rm`), as in dockerd.
    var restartingByUser = false
    /// Whether a start, a removal or a writable rootfs access holds it.
    var busy = false
    /// The pending restart (the back-off sleep, then `start`).
    var restartTask: Task<Void, Never>?
    /// The back-off state of its restart policy; nil for a fresh one.
    var backoff: RestartBackoff?
    /// Followers of its log (`logs -f`), told when it stops.
    var logFollowers: [StopFlag] = []
    /// Its health check loop (`ContainerEngine+Health`).
    var healthMonitor: Task<Void, Never>?

    /// Whether it holds nothing, so that its entry can go.
    var isEmpty: Bool {
        exitWaiters.isEmpty && removalWaiters.isEmpty && startWaiters.isEmpty && attachers == 0 && !pendingAutoRemove
            && !restartingByUser && !busy && restartTask == nil && backoff == nil && logFollowers.isEmpty
            && healthMonitor == nil
    }
}
