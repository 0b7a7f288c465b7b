import SpliceRuntime
import struct DockerModels.EngineError

extension ContainerEngine {
    /// Applies the request's cgroup limits to a started container's pid 1 (nothing when it asks for none).
    func applyResources(id: String, pid: Int32, request: ContainerCreateOptions) async throws {
        if request.memory > 0 { try await Self.applyMemoryLimit(id: id, pid: pid, memory: request.memory) }
    }

    /// Removes what `applyResources` created once the container has exited.
    func releaseResources(id: String, request: ContainerCreateOptions) async {
        if request.memory > 0 { await Self.removeCgroup(id: id) }
    }

    /// Puts a started container's pid 1 into its own cgroup `splice/<id>` with `memory` as its limit.
    /// The process joins after it started, so only what it forks from then on is counted with it.
    static func applyMemoryLimit(id: String, pid: Int32, memory: Int64) async throws {
        try await BlockingWork.run {
            let cgroup = try ContainerCgroup(id: id, hierarchy: try CgroupHierarchy.detect())
            try cgroup.create()
            try cgroup.apply(ResourceLimits(memoryBytes: UInt64(memory)))
            try cgroup.add(pid: pid)
        }
    }

    /// Removes container `id`'s cgroup once its processes are gone; missing is fine.
    static func removeCgroup(id: String) async {
        _ = try? await BlockingWork.run {
            try ContainerCgroup(id: id, hierarchy: try CgroupHierarchy.detect()).remove()
        }
    }

    /// Refuses memory limits below the kernel's practical minimum, as dockerd does.
    static func validateMemory(_ memory: Int64) throws(EngineError) {
        guard memory == 0 || memory >= Int64(ResourceLimits.minimumMemoryBytes) else {
            throw EngineError(.invalidArgument, "Minimum memory limit allowed is 6MB")
        }
        guard memory >= 0 else { throw EngineError(.invalidArgument, "invalid memory limit \(memory)") }
    }
}
