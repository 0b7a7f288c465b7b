extension ContainerEngine {
    /// Changes container `id`'s live state (a fresh one when it has none) and returns what `change` returns; an
    /// entry left holding nothing is dropped, so a removed container's is not made again.
    @discardableResult
    func withLive<T>(_ id: String, _ change: (inout ContainerLiveState) -> T) -> T {
        var state = live[id] ?? ContainerLiveState()
        let result = change(&state)
        live[id] = state.isEmpty ? nil : state
        return result
    }

    /// Takes the list `list` selects out of container `id`'s live state, leaving it empty.
    func take<Element>(_ id: String, _ list: WritableKeyPath<ContainerLiveState, [Element]>) -> [Element] {
        withLive(id) { state in
            defer { state[keyPath: list] = [] }
            return state[keyPath: list]
        }
    }

    /// Answers the waiters `waiters` selects in container `id`'s live state with `value`, ends their streams and
    /// forgets them.
    func answer<Value: Sendable>(_ id: String,
                                 _ waiters: WritableKeyPath<ContainerLiveState, [AsyncStream<Value>.Continuation]>,
                                 with value: Value) {
        for waiter in take(id, waiters) {
            waiter.yield(value)
            waiter.finish()
        }
    }

    /// Whether a start, a removal or a writable rootfs access holds container `id`.
    func isBusy(_ id: String) -> Bool { live[id]?.busy == true }

    /// Marks container `id` as held (by a start, a removal or a writable rootfs access) or free again.
    func setBusy(_ id: String, _ busy: Bool) { withLive(id) { $0.busy = busy } }

    /// Whether an attach session is open on container `id`.
    func isAttached(_ id: String) -> Bool { (live[id]?.attachers ?? 0) > 0 }

    /// Drops container `id`'s live state once it is removed: its pending restart and health check loop are
    /// cancelled (its waiters are answered before).
    func dropLive(_ id: String) {
        guard let state = live.removeValue(forKey: id) else { return }
        state.restartTask?.cancel()
        state.healthMonitor?.cancel()
    }
}
