import Glibc
import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `POST /build`: the context tar is spooled to `<graph>/tmp`, then the engine's builder runs the Dockerfile
    /// and streams its steps.
    public func build(_ options: BuildOptions, context: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let spool = engine.configuration.graph + "/tmp"
        mkdir(spool, 0o700)
        let path = spool + "/context-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tar"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw EngineError(.internal, "cannot create \(path): errno \(errno)") }
        do {
            defer { close(descriptor) }
            for try await chunk in context {
                var written = 0
                while written < chunk.count {
                    let count = chunk[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else {
                        throw EngineError(.internal, "cannot spool the build context: errno \(errno)")
                    }
                    written += count
                }
            }
        } catch {
            unlink(path)
            throw error
        }
        // A FROM image missing from the store is pulled, as dockerd's legacy builder does, its progress lines
        // going into the build's output.
        let pull: ImagePull = { [self] name, output in
            let tagged = Self.namesTagOrDigest(name)
            for try await message in try await self.pullImage(name, tag: tagged ? nil : "latest", auth: nil) {
                if !options.quiet { output.yield(message) }
            }
        }
        return engine.build(options, contextArchive: path, pull: pull)
    }
}
