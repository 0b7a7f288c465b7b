import Glibc
import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `POST /build`: the context tar is spooled to `<graph>/tmp` (or, for `remote=URL`, fetched there by the
    /// daemon: a failed fetch is the request's error, as dockerd's), then the engine's builder runs the Dockerfile
    /// and streams its steps.
    public func build(_ options: BuildOptions, context: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let spool = engine.configuration.graph + "/tmp"
        if let remote = options.remoteContext {
            let fetched = try await RemoteContext.fetch(remote, spool: spool)
            var options = options
            if let dockerfile = fetched.dockerfile { options.dockerfile = dockerfile }
            let steps = engine.build(options, contextArchive: fetched.archive, pull: fromPull(quiet: options.quiet),
                                     contextless: fetched.dockerfile != nil)
            guard fetched.downloaded > 0, !options.quiet else { return steps }
            // dockerd's line for a downloaded context, before the steps.
            var line = ProgressMessage(status: "Downloading build context from remote url: \(remote)")
            line.progressDetail = .init(current: fetched.downloaded, total: fetched.downloaded)
            return Self.prepending(line, to: steps)
        }
        mkdir(spool, 0o700)
        let path = spool + "/context-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tar"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EngineError.system("open", path: path) { "cannot create \(path): errno \($0.errno.rawValue)" }
        }
        do {
            defer { close(descriptor) }
            for try await chunk in context {
                var written = 0
                while written < chunk.count {
                    let count = chunk[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else {
                        throw EngineError.system("write") {
                            "cannot spool the build context: errno \($0.errno.rawValue)"
                        }
                    }
                    written += count
                }
            }
        } catch {
            unlink(path)
            throw error
        }
        return engine.build(options, contextArchive: path, pull: fromPull(quiet: options.quiet))
    }

    /// A FROM image missing from the store is pulled, as dockerd's legacy builder does, its progress lines going
    /// into the build's output (unless the build is quiet).
    private func fromPull(quiet: Bool) -> ImagePull {
        { [self] name, output in
            let tagged = Self.namesTagOrDigest(name)
            for try await message in try await self.pullImage(name, tag: tagged ? nil : "latest", auth: nil) {
                if !quiet { output.yield(message) }
            }
        }
    }

    /// `first`, then everything `stream` yields; dropping the result stops `stream`.
    private static func prepending(_ first: ProgressMessage, to stream: AsyncThrowingStream<ProgressMessage, any Error>)
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let (result, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        continuation.yield(first)
        let task = Task {
            do {
                for try await message in stream { continuation.yield(message) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return result
    }
}
