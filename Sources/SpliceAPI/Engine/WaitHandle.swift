/// A registered waiter: `waitContainer` returns it once registered, before the API sends the headers.
public struct WaitHandle: Sendable {
    /// Suspends until the wait condition is met.
    public let result: @Sendable () async throws -> ContainerWaitResponse

    /// Creates a handle from the function that awaits the result.
    public init(result: @escaping @Sendable () async throws -> ContainerWaitResponse) { self.result = result }
}
