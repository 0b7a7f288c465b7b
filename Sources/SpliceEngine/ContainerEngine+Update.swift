import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// `POST /containers/{id}/update`: checks the new values as dockerd does, writes the resulting limits into the
    /// running container's cgroup, then keeps them in its record (a later start applies them). Errors carry
    /// dockerd's `Cannot update container ID: ` prefix. Returns dockerd's warnings (a kernel memory limit or block
    /// I/O weight this kernel cannot apply is discarded).
    @discardableResult
    public func update(_ reference: String, _ update: ResourceUpdate) async throws -> [String] {
        let id = try resolve(reference)
        guard var record = records[id] else { throw EngineError.noSuchContainer(reference) }
        var request = try Self.updated(record.configuration.request, with: update, id: id)
        var warnings: [String] = []
        do {
            if update.kernelMemory != nil || update.kernelMemoryTCP != nil {
                warnings = try CreateValidation.validateKernelMemory(&request)
            }
            if update.blkioWeight != nil { warnings += try CreateValidation.validateCgroupOptions(&request) }
            try CreateValidation.validateRealtime(request)
        } catch {
            throw EngineError(error.code, "Cannot update container \(id): \(error.message)", cause: error)
        }
        var limits = try Self.limits(for: request)
        if let pids = update.pidsLimit, pids < 0 { limits.pidsLimit = -1 }  // written as `max`
        do { try limits.validate(onlineCPUs: nil) } catch {
            throw EngineError(.invalidArgument, "Cannot update container \(id): \(Self.reason(error))", cause: error)
        }
        if record.state.isRunning {
            let limits = limits, parent = request.cgroupParentPath
            do {
                try await BlockingWork.run { try Self.cgroup(id: id, parent: parent).apply(limits) }
            } catch {
                throw EngineError(.invalidArgument, "Cannot update container \(id): \(Self.reason(error))",
                                  cause: error)
            }
        }
        record = records[id] ?? record
        record.configuration.request = request
        records[id] = record
        try store.save(record)
        emit("update", id: id)
        return warnings
    }

    /// The options after `update`, with dockerd's checks (`daemon/update.go`, `container.UpdateContainer`).
    static func updated(_ current: ContainerCreateOptions, with update: ResourceUpdate, id: String)
        throws(EngineError) -> ContainerCreateOptions {
        func refuse(_ code: EngineError.Code, _ reason: String) -> EngineError {
            EngineError(code, "Cannot update container \(id): \(reason)")
        }
        var request = current
        if let memory = update.memory {
            // dockerd's create makes the swap limit twice the memory one; an update of the memory alone keeps it.
            let currentSwap = current.memorySwap != 0 ? current.memorySwap : current.memory * 2
            if update.memorySwap == nil, current.memory > 0, currentSwap > 0, memory > currentSwap {
                throw refuse(.conflict, "Memory limit should be smaller than already set memoryswap limit, update "
                    + "the memoryswap at the same time")
            }
            if update.memorySwap == nil, current.memory > 0 { request.memorySwap = currentSwap }
            request.memory = memory
        }
        if let swap = update.memorySwap { request.memorySwap = swap }
        if let reservation = update.memoryReservation { request.memoryReservation = reservation }
        if let nano = update.nanoCpus {
            if current.cpuQuota > 0 || update.cpuQuota != nil {
                throw refuse(.conflict, "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already "
                    + "been set")
            }
            if current.cpuPeriod > 0 || update.cpuPeriod != nil {
                throw refuse(.conflict, "Conflicting options: CPU Period cannot be updated as NanoCPUs has already "
                    + "been set")
            }
            request.nanoCpus = nano
        }
        if current.nanoCpus > 0, update.nanoCpus == nil, update.cpuQuota != nil || update.cpuPeriod != nil {
            throw refuse(.conflict, "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set")
        }
        if let quota = update.cpuQuota { request.cpuQuota = quota }
        if let period = update.cpuPeriod { request.cpuPeriod = period }
        do { try CreateValidation.validateCPUQuota(request) } catch { throw refuse(error.code, error.message) }
        if let shares = update.cpuShares { request.cpuShares = shares }
        if let cpus = update.cpusetCpus { request.cpusetCpus = cpus }
        if let mems = update.cpusetMems { request.cpusetMems = mems }
        if let pids = update.pidsLimit { request.pidsLimit = pids > 0 ? pids : nil }
        if let weight = update.blkioWeight { request.blkioWeight = weight }
        if let period = update.cpuRealtimePeriod { request.cpuRealtimePeriod = period }
        if let runtime = update.cpuRealtimeRuntime { request.cpuRealtimeRuntime = runtime }
        if let kernel = update.kernelMemory { request.kernelMemory = kernel }
        if let tcp = update.kernelMemoryTCP { request.kernelMemoryTCP = tcp }
        if let policy = update.restartPolicy {
            if request.autoRemove && policy.name != .no {
                throw refuse(.invalidArgument, "Restart policy cannot be updated because AutoRemove is enabled for "
                    + "the container")
            }
            request.restartPolicy = policy
        }
        return request
    }

    /// The message of a cgroup failure without its option prefix, as dockerd words it.
    static func reason(_ error: any Error) -> String {
        if let error = error as? CgroupError, case .invalidArgument(_, let message) = error { return message }
        return "\(error)"
    }
}
