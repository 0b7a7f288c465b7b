import SpliceRuntime
import struct DockerModels.EngineError

extension ContainerEngine {
    /// `POST /containers/{id}/update`: checks the new values as dockerd does, writes them into the running
    /// container's cgroup, then keeps them in its record (so a restart applies them too). Errors carry dockerd's
    /// `Cannot update container ID: ` prefix.
    public func update(_ reference: String, _ update: ResourceUpdate) async throws {
        let id = try resolve(reference)
        guard var record = records[id] else { throw EngineError.noSuchContainer(reference) }
        func refuse(_ code: EngineError.Code, _ reason: String) -> EngineError {
            EngineError(code, "Cannot update container \(id): \(reason)")
        }
        var request = record.configuration.request
        let oldMemory = request.memory
        if let memory = update.memory, memory > 0 {
            guard memory >= Int64(ResourceLimits.minimumMemoryBytes) else {
                throw refuse(.invalidArgument, "Minimum memory limit allowed is 6MB")
            }
            // dockerd's create makes the swap limit twice the memory one; an update of the memory alone keeps it.
            if (update.memorySwap ?? 0) == 0, oldMemory > 0, memory > oldMemory * 2 {
                throw refuse(.conflict, "Memory limit should be smaller than already set memoryswap limit, update "
                    + "the memoryswap at the same time")
            }
            request.memory = memory
        }
        if let swap = update.memorySwap, swap > 0, swap < request.memory {
            throw refuse(.invalidArgument, "Minimum memoryswap limit should be larger than memory limit, see usage")
        }
        if let policy = update.restartPolicy {
            if request.autoRemove && policy.name != .no {
                throw refuse(.invalidArgument, "Restart policy cannot be updated because AutoRemove is enabled for "
                    + "the container")
            }
            request.restartPolicy = policy
        }
        if let shares = update.cpuShares, shares > 0 { request.cpuShares = shares }
        if let cpus = update.cpusetCpus, !cpus.isEmpty { request.cpusetCpus = cpus }
        if let pids = update.pidsLimit, pids != 0 { request.pidsLimit = pids > 0 ? pids : nil }
        if let weight = update.blkioWeight, weight > 0 { request.blkioWeight = weight }
        var limits = try Self.limits(for: request)
        if update.memory == nil || update.memory == 0 { limits.memoryBytes = nil }
        limits.memorySwapBytes = update.memorySwap.flatMap { $0 != 0 ? $0 : nil }
            ?? (oldMemory > 0 ? oldMemory * 2 : -1)
        if update.pidsLimit.map({ $0 < 0 }) == true { limits.pidsLimit = -1 }
        if record.state.isRunning {
            let cgroupLimits = limits
            do {
                try await BlockingWork.run {
                    try ContainerCgroup(id: id, hierarchy: try CgroupHierarchy.detect()).apply(cgroupLimits)
                }
            } catch {
                throw EngineError(.invalidArgument, "Cannot update container \(id): \(error)", cause: error)
            }
        }
        record = records[id] ?? record
        record.configuration.request = request
        records[id] = record
        try store.save(record)
        emit("update", id: id)
    }
}
