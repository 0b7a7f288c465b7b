import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Reads container `reference`'s counters now: cgroup (CPU, memory, tasks, block I/O), host CPU time and its
    /// interfaces. The reads run off the actor; a container not running gives an empty sample.
    public func statsSample(_ reference: String) async throws -> ContainerStatsSample {
        let record = try container(reference)
        let now = APITime.now()
        let pid = record.state.pid
        guard record.state.isRunning, pid > 0 else {
            return ContainerStatsSample(id: record.id, name: record.name, running: false, timeNanoseconds: now)
        }
        let hostNetwork = record.configuration.request.networkMode == "host"
        let id = record.id, name = record.name, parent = record.configuration.request.cgroupParentPath
        return try await BlockingWork.run {
            let cgroup = try Self.cgroup(id: id, parent: parent)
            let interfaces = hostNetwork ? nil : InterfaceCounters.read(pid: pid).flatMap { $0.isEmpty ? nil : $0 }
            return ContainerStatsSample(
                id: id, name: name, running: true, timeNanoseconds: APITime.now(), cgroup: cgroup.stats(usage: true),
                systemCPUNanoseconds: HostCounters.systemCPUNanoseconds(), onlineCPUs: HostCounters.onlineCPUs(),
                hostMemoryBytes: HostCounters.memoryTotalBytes(), interfaces: interfaces)
        }
    }
}
