import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// The static init mounted into `--init` containers.
    var containerInit: String { configuration.containerInitPath ?? configuration.initPath }

    /// Refuses to start an `--init` container when the init could not run inside an image (dynamically linked, as
    /// a debug build of splice-init is), instead of a container that fails at exec.
    func validateInit() async throws {
        let path = containerInit
        guard try await BlockingWork.run({ MinimalInit.isStaticExecutable(path) }) else {
            throw EngineError(.invalidArgument, "--init needs a statically linked init, and \(path) is not; start"
                + " spliced with --init-path naming a static splice-init (scripts/setup.sh builds .build/static)")
        }
    }
}
