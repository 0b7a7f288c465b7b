#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceImages
import struct DockerModels.BuildOptions
import struct EngineErrors.EngineError
import struct DockerModels.ProgressMessage

/// Pulls the image a name refers to, writing its progress messages to the given continuation.
public typealias ImagePull = @Sendable (String, AsyncThrowingStream<ProgressMessage, any Error>.Continuation)
    async throws -> Void

extension ContainerEngine {
    /// `docker build` (the legacy builder): runs the Dockerfile of the context tar at `contextArchive` (which the
    /// build removes when it ends) and streams the steps as the docker CLI prints them; a failure ends the stream
    /// with the in-band error (and, for a failed RUN, its exit code). `pull` fetches a `FROM` image that is not in
    /// the store (the daemon's registry pull, its progress lines going into the build's output); without it such a
    /// `FROM` is an error. `contextless`: the archive holds only the Dockerfile (a remote URL that answered one),
    /// and the build has no context, as dockerd's.
    public nonisolated func build(_ request: BuildOptions, contextArchive: String, pull: ImagePull? = nil,
                                  contextless: Bool = false) -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        let work = configuration.graph + "/tmp/build-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let task = Task {
            let builder = ImageBuilder(engine: self, request: request, work: work, output: continuation, pull: pull,
                                       contextless: contextless)
            do {
                _ = try await builder.run(archive: contextArchive)
            } catch let failure as BuildFailure {
                continuation.yield(.failure(failure.message, code: failure.code))
            } catch let error as EngineError {
                continuation.yield(.failure(error.message))
            } catch let error as ImageError {
                continuation.yield(.failure(error.message))
            } catch {
                continuation.yield(.failure("\(error)"))
            }
            await BlockingWork.runQuietly {
                unlink(contextArchive)
                try? FileManager.default.removeItem(atPath: work)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
