import Glibc
import SpliceNet
import SpliceRuntime
import SystemKit

/// What a container's start has made so far, in the order it makes it: the record a failure is undone from
/// (`ContainerEngine.rollBackStart`), as `ChildPlan` records its steps before it acts.
struct StartProgress: Sendable {
    /// The network mode the container joined (its sandbox, endpoints, ports and addresses); nil before the join.
    var network: SandboxMode?
    /// The parent of its cgroup `<parent>/<id>` once that may exist (`ContainerCreateOptions.cgroupParentPath`).
    var cgroupParent: String?
    /// Its `splice-init` and pid 1, once spawned.
    var process: RunningContainer?

    /// The kernel steps to undo for container `id` (its cgroup, then its process), as a transaction that undoes
    /// them last first. Blocking: run it on a kernel thread.
    func kernelSteps(of id: String) -> Transaction {
        var transaction = Transaction()
        if let cgroupParent {
            transaction.onRollback("remove cgroup \(cgroupParent)/\(id)") {
                try ContainerEngine.cgroup(id: id, parent: cgroupParent).remove()
            }
        }
        if let process {
            transaction.onRollback("kill pid \(process.containerPid)") { try process.signal(SIGKILL) }
        }
        return transaction
    }
}
