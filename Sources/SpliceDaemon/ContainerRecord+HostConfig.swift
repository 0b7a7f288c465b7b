import SpliceAPI
import SpliceEngine
import struct SpliceRuntime.DeviceThrottle
import struct SpliceRuntime.DeviceWeight

extension ContainerRecord {
    /// Fills the `HostConfig` keys dockerd always returns that `inspect` leaves unset, from the request or with
    /// dockerd's defaults (inspect-container.txt); keys `Init`, `Tmpfs` and `Mounts` only when given, as dockerd's
    /// `omitempty`.
    func completeHostConfig(_ host: inout HostConfig) {
        let request = configuration.request
        host.ContainerIDFile = host.ContainerIDFile ?? ""
        host.VolumeDriver = host.VolumeDriver ?? ""
        host.CgroupnsMode = request.cgroupnsMode.isEmpty ? "host" : request.cgroupnsMode
        host.IpcMode = request.ipcMode.isEmpty ? "private" : request.ipcMode
        host.Cgroup = host.Cgroup ?? ""
        host.OomScoreAdj = request.oomScoreAdjust
        host.PidMode = request.pidMode
        host.PublishAllPorts = host.PublishAllPorts ?? false
        host.UTSMode = request.utsMode
        host.UsernsMode = request.usernsMode
        host.ShmSize = request.shmSize > 0 ? request.shmSize : 67_108_864
        host.Sysctls = request.sysctls.isEmpty ? nil : request.sysctls
        host.Runtime = host.Runtime ?? "runc"
        host.Isolation = host.Isolation ?? ""
        host.NanoCpus = host.NanoCpus ?? 0
        host.CgroupParent = request.cgroupParent
        // As dockerd: what the kernel cannot apply was discarded at create (with its warning).
        host.BlkioWeightDevice = request.deviceWeights.map { WeightDevice(Path: $0.path, Weight: $0.weight) }
        let throttles = { (kind: DeviceThrottle.Kind) in
            request.deviceThrottles.filter { $0.kind == kind }.map { ThrottleDevice(Path: $0.path, Rate: $0.rate) }
        }
        host.BlkioDeviceReadBps = throttles(.readBps)
        host.BlkioDeviceWriteBps = throttles(.writeBps)
        host.BlkioDeviceReadIOps = throttles(.readIOps)
        host.BlkioDeviceWriteIOps = throttles(.writeIOps)
        host.CpuPeriod = host.CpuPeriod ?? 0
        host.CpuQuota = host.CpuQuota ?? 0
        host.CpuRealtimePeriod = request.cpuRealtimePeriod
        host.CpuRealtimeRuntime = request.cpuRealtimeRuntime
        host.CpusetMems = host.CpusetMems ?? ""
        host.DeviceCgroupRules = request.deviceCgroupRules.isEmpty ? nil : request.deviceCgroupRules
        host.KernelMemory = request.kernelMemory
        host.KernelMemoryTCP = request.kernelMemoryTCP
        host.MemoryReservation = host.MemoryReservation ?? 0
        // As dockerd: a memory limit without a swap limit allows as much swap again.
        host.MemorySwap = request.memorySwap != 0 ? request.memorySwap : request.memory > 0 ? request.memory * 2 : 0
        host.MemorySwappiness = request.memorySwappiness
        host.OomKillDisable = host.OomKillDisable ?? false
        host.Ulimits = request.ulimits.map { Ulimit(Name: $0.name, Soft: $0.soft, Hard: $0.hard) }
        host.CpuCount = host.CpuCount ?? 0
        host.CpuPercent = host.CpuPercent ?? 0
        host.IOMaximumIOps = host.IOMaximumIOps ?? 0
        host.IOMaximumBandwidth = host.IOMaximumBandwidth ?? 0
        host.Init = request.initProcess
        host.Tmpfs = request.tmpfs.isEmpty ? nil : request.tmpfs
        host.Mounts = request.mounts.isEmpty ? nil : request.mounts.map(\.docker)
        host.MaskedPaths = maskedPaths
        host.ReadonlyPaths = readOnlyPaths
        host.PortBindings = host.PortBindings ?? [:]
        // As dockerd: no limit (0 or negative) is `null`.
        host.PidsLimit = host.PidsLimit.flatMap { $0 > 0 ? $0 : nil }
    }
}
