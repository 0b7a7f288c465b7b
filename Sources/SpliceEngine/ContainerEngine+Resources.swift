import Glibc
import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Creates container `id`'s cgroup `<parent>/<id>` (`splice/<id>` by default) in every controller (always, so
    /// pause, top, exec and stats work) with the request's limits, and returns its `cgroup.procs` files for
    /// `ContainerSpec.cgroupProcs` and how the container sees it (`ContainerSpec.cgroupView`).
    /// A stale cgroup of an earlier run is removed first; on failure nothing is left behind.
    func createCgroup(id: String, request: ContainerCreateOptions) async throws
        -> (procs: [String], view: CgroupView)
    {
        let limits = try Self.limits(for: request), parent = request.cgroupParentPath
        return try await BlockingWork.run {
            let cgroup = try Self.cgroup(id: id, parent: parent)
            try? cgroup.remove()
            do {
                try cgroup.create()
                try cgroup.apply(limits)
            } catch {
                try? cgroup.remove()
                throw EngineError(.invalidArgument, "cannot apply the resource limits: \(error)", cause: error)
            }
            return (cgroup.directories.map { $0 + "/cgroup.procs" }, cgroup.view)
        }
    }

    /// Checks that a started container's pid 1 is in its cgroup (it joins before its first instruction through
    /// `ContainerSpec.cgroupProcs`); a runtime that did not honour that gets it moved now.
    func applyResources(id: String, pid: Int32, request: ContainerCreateOptions) async throws {
        let parent = request.cgroupParentPath
        try await BlockingWork.run {
            let cgroup = try Self.cgroup(id: id, parent: parent)
            guard try !cgroup.processes().contains(pid) else { return }
            do { try cgroup.add(pid: pid) } catch {
                // A pid 1 that already exited (ESRCH) has nothing left to limit.
                if Glibc.kill(pid, 0) != 0 && errno == ESRCH { return }
                throw error
            }
        }
    }

    /// Removes container `id`'s cgroup once its processes are gone (always; missing is fine).
    func releaseResources(id: String, request: ContainerCreateOptions) async {
        let parent = request.cgroupParentPath
        await BlockingWork.runQuietly { try? Self.cgroup(id: id, parent: parent).remove() }
    }

    /// Container `id`'s cgroup below `parent` (`ContainerCreateOptions.cgroupParentPath`) in this host's layout.
    static func cgroup(id: String, parent: String) throws -> ContainerCgroup {
        try ContainerCgroup(id: id, hierarchy: try CgroupHierarchy.current(), parent: parent)
    }

    /// Whether this host's cgroups are v2 only (read once).
    static let unifiedCgroups = (try? CgroupHierarchy.current())?.usesUnified == true

    /// The cgroup limits a request asks for; `--privileged` allows every device.
    static func limits(for request: ContainerCreateOptions) throws(EngineError) -> ResourceLimits {
        var devices = try deviceRules(request.devices)
        for rule in request.deviceCgroupRules {
            do { devices.append(try DeviceRule.parseCgroupRule(rule)) } catch {
                throw EngineError(.invalidArgument, Self.message(of: error), cause: error)
            }
        }
        if request.privileged { devices.append(DeviceRule(kind: .all, major: nil, minor: nil)) }
        let cpus = request.cpusetCpus.flatMap { $0.isEmpty ? nil : $0 }
        var limits = ResourceLimits(
            memoryBytes: request.memory > 0 ? UInt64(request.memory) : nil,
            memorySwapBytes: request.memory > 0 && request.memorySwap != 0 ? request.memorySwap : nil,
            cpuShares: request.cpuShares > 0 ? UInt64(request.cpuShares) : nil, cpusetCpus: cpus,
            pidsLimit: request.pidsLimit.flatMap { $0 > 0 ? $0 : nil },
            blkioWeight: request.blkioWeight > 0 ? UInt16(clamping: request.blkioWeight) : nil, devices: devices)
        if request.memoryReservation > 0 { limits.memoryReservationBytes = UInt64(request.memoryReservation) }
        if request.cpuPeriod > 0 { limits.cpuPeriodMicroseconds = UInt64(request.cpuPeriod) }
        if request.cpuQuota > 0 { limits.cpuQuotaMicroseconds = request.cpuQuota }
        if request.nanoCpus > 0 {
            // dockerd: --cpus N is a quota of N periods of 100 ms.
            let period = ResourceLimits.defaultCPUPeriodMicroseconds
            limits.cpuPeriodMicroseconds = period
            limits.cpuQuotaMicroseconds = request.nanoCpus * Int64(period) / 1_000_000_000
        }
        limits.cpusetMems = request.cpusetMems.flatMap { $0.isEmpty ? nil : $0 }
        limits.memorySwappiness = request.memorySwappiness.flatMap { $0 >= 0 ? UInt64($0) : nil }
        // dockerd discards it where cgroups are v2 only (there is no such switch there).
        limits.oomKillDisable = request.oomKillDisable && !Self.unifiedCgroups
        limits.deviceThrottles = request.deviceThrottles
        limits.deviceWeights = request.deviceWeights
        if request.kernelMemory > 0 { limits.kernelMemoryBytes = UInt64(request.kernelMemory) }
        if request.kernelMemoryTCP > 0 { limits.kernelTCPMemoryBytes = UInt64(request.kernelMemoryTCP) }
        if request.cpuRealtimePeriod > 0 { limits.realtimePeriodMicroseconds = UInt64(request.cpuRealtimePeriod) }
        if request.cpuRealtimeRuntime != 0 { limits.realtimeRuntimeMicroseconds = request.cpuRealtimeRuntime }
        return limits
    }

    /// Parses `--device` texts (stat'ing each host node) with dockerd's errors.
    static func deviceRules(_ devices: [String]) throws(EngineError) -> [DeviceRule] {
        var rules: [DeviceRule] = []
        for text in devices {
            do { rules.append(try DeviceRule.parse(text)) } catch {
                throw EngineError(.invalidArgument, message(of: error), cause: error)
            }
        }
        return rules
    }

    /// A cgroup error's message for users: Docker's wording for a bad value, else the description.
    static func message(of error: CgroupError) -> String {
        if case .invalidArgument(_, let message) = error { return message }
        return error.description
    }

    /// Checks the limits against this host: the cpuset against the online CPUs (block I/O weights the kernel lacks
    /// were discarded with dockerd's warning by `CreateValidation`).
    static func validateResources(_ request: ContainerCreateOptions) async throws {
        let limits = try limits(for: request)
        try await BlockingWork.run {
            do {
                let online = limits.cpusetCpus == nil ? nil : try ResourceLimits.onlineCPUs()
                try limits.validate(onlineCPUs: online)
            } catch let error as CgroupError {
                switch error {
                case .invalidArgument(_, let message): throw EngineError(.invalidArgument, message, cause: error)
                default: throw EngineError(.invalidArgument, "\(error)", cause: error)
                }
            }
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
