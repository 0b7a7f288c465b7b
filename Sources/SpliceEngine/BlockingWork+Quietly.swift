extension BlockingWork {
    /// Runs a non-throwing `body` on a global queue and waits for it.
    static func runQuietly(_ body: @escaping @Sendable () -> Void) async {
        _ = try? await run { body() }
    }
}
