import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `POST /containers/{id}/update`: memory, swap, CPU shares, cpuset, task limit, block I/O weight and the
    /// restart policy; the CFS quota (`--cpus`, `--cpu-quota`, `--cpu-period`), `--memory-reservation` and
    /// `--cpuset-mems` are refused until the engine keeps them.
    public func updateContainer(_ id: String, _ request: ContainerUpdateRequest) async throws
        -> ContainerUpdateResponse
    {
        let unsupported: [(String, Bool)] = [
            ("NanoCpus", (request.NanoCpus ?? 0) != 0), ("CpuQuota", (request.CpuQuota ?? 0) != 0),
            ("CpuPeriod", (request.CpuPeriod ?? 0) != 0),
            ("MemoryReservation", (request.MemoryReservation ?? 0) != 0),
            ("CpusetMems", !(request.CpusetMems ?? "").isEmpty),
        ]
        if let (name, _) = unsupported.first(where: \.1) {
            throw EngineError(.invalidArgument, "Cannot update container \(id): updating \(name) is not supported "
                + "by this engine yet")
        }
        var update = ResourceUpdate(memory: request.Memory, memorySwap: request.MemorySwap,
                                    cpuShares: request.CpuShares, cpusetCpus: request.CpusetCpus,
                                    pidsLimit: request.PidsLimit, blkioWeight: request.BlkioWeight.map(Int.init))
        if let policy = request.RestartPolicy, !(policy.Name ?? "").isEmpty {
            update.restartPolicy = try ContainerCreateOptions.restartPolicy(policy)
        }
        try await mapped { try await engine.update(id, update) }
        return ContainerUpdateResponse()
    }
}
