import struct EngineErrors.EngineError

extension DockerEngine {
    /// `POST /build`: engines without a builder refuse it.
    public func build(_ options: BuildOptions, context: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        throw EngineError(.notImplemented, "not implemented: build")
    }
}
