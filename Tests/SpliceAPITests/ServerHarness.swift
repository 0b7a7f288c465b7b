import APITestSupport

extension TestServer {
    /// A server whose fake holds waits until `releaseWaits` and records only the calls.
    static func start() async throws -> TestServer { try await start(engine: FakeEngine(.server)) }
}
