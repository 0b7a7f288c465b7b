import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `POST /containers/{id}/update`: memory, swap, reservation, CPU shares, `--cpus`, CFS quota and period,
    /// cpusets, task limit, block I/O weight, real-time budget, kernel memory and the restart policy.
    public func updateContainer(_ id: String, _ request: ContainerUpdateRequest) async throws
        -> ContainerUpdateResponse
    {
        var update = ResourceUpdate(
            memory: request.Memory, memorySwap: request.MemorySwap, memoryReservation: request.MemoryReservation,
            cpuShares: request.CpuShares, nanoCpus: request.NanoCpus, cpuQuota: request.CpuQuota,
            cpuPeriod: request.CpuPeriod, cpusetCpus: request.CpusetCpus, cpusetMems: request.CpusetMems,
            pidsLimit: request.PidsLimit, blkioWeight: request.BlkioWeight.map(Int.init))
        update.setRealtimeAndKernelMemory(period: request.CpuRealtimePeriod, runtime: request.CpuRealtimeRuntime,
                                          kernelMemory: request.KernelMemory, kernelMemoryTCP: request.KernelMemoryTCP)
        if let policy = request.RestartPolicy, !(policy.Name ?? "").isEmpty {
            update.restartPolicy = try ContainerCreateOptions.restartPolicy(policy)
        }
        let warnings = try await mapped { try await engine.update(id, update) }
        return ContainerUpdateResponse(Warnings: warnings.isEmpty ? nil : warnings)
    }
}
