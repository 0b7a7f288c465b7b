import SpliceRuntime
import struct DockerModels.EngineError

extension ContainerEngine {
    /// What `splice-init` runs for `record`: command, environment, user, mounts, network, security and terminal
    /// settings, from the create request and the image.
    func runtimeSpec(for record: ContainerRecord, rootfs: RootfsSpec, namespacePath: String?) async throws
        -> ContainerSpec
    {
        let config = record.configuration
        let mounts = try config.request.binds.map { text throws(EngineError) in try Self.bindMount(text) }
        return ContainerSpec(
            id: record.id, command: config.argv, rootfs: rootfs,
            environment: config.env, workingDirectory: config.workingDir, user: config.user,
            hostname: config.hostname, mounts: mounts, network: namespacePath.map { .namespace(path: $0) } ?? .host)
    }
}
