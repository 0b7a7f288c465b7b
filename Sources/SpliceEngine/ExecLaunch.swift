import SpliceRuntime
import struct DockerModels.DetachKeys

/// What starting one exec needs, gathered while the engine validates `exec start`.
struct ExecLaunch: Sendable {
    /// The exec's id.
    let id: String
    /// The process to run.
    let spec: ExecSpec
    /// The container's pid 1 on the host, whose namespaces and cgroups the process joins.
    let containerPid: Int32
    /// The `splice-init` binary.
    let initPath: String
    /// Whether the process gets a TTY.
    let tty: Bool
    /// The detach sequence watched for in stdin.
    let keys: DetachKeys
    /// Relay stdout.
    let wantsOut: Bool
    /// Relay stderr.
    let wantsErr: Bool
    /// The client's stdin, when it is forwarded.
    let stdin: AsyncStream<[UInt8]>?
}
