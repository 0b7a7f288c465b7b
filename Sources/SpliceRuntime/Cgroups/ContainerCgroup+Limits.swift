extension ContainerCgroup {
    /// Writes `limits` into the container cgroup. Validates first (except the cpuset, which the kernel checks),
    /// then writes; v1 always installs Docker's default device rules followed by `limits.devices`.
    public func apply(_ limits: ResourceLimits) throws(CgroupError) {
        try limits.validate(onlineCPUs: nil)
        if let weight = limits.blkioWeight, weight != 0, let reason = hierarchy.blkioWeightUnsupportedReason {
            throw .unsupported(option: "--blkio-weight", reason: reason)
        }
        if hierarchy.usesUnified {
            if limits.realtimePeriodMicroseconds != nil || limits.realtimeRuntimeMicroseconds != nil {
                throw .unsupported(option: "--cpu-rt-runtime", reason: "cgroup v2 has no real-time cpu controller")
            }
            if !limits.devices.isEmpty {
                throw .unsupported(
                    option: "--device",
                    reason: "device rules on cgroup v2 need an eBPF program (BPF_CGROUP_DEVICE), not supported yet")
            }
            try applyUnified(limits)
        } else {
            try applyV1(limits)
        }
    }

    /// The v1 writes: memory, memsw, cpu.shares, cpuset.cpus, pids.max, blkio weight, devices.
    private func applyV1(_ limits: ResourceLimits) throws(CgroupError) {
        if let memory = limits.memoryBytes, let directory = directory(for: "memory") {
            let swapFile = "\(directory)/memory.memsw.limit_in_bytes"
            let hasSwapAccounting = files.exists(swapFile)
            if !hasSwapAccounting, let swap = limits.memorySwapBytes, swap != -1 {
                throw .unsupported(
                    option: "--memory-swap",
                    reason: "this kernel has no swap accounting (CONFIG_MEMCG_SWAP, swapaccount=1)")
            }
            let swap = limits.memorySwapBytes ?? Int64(clamping: memory.multipliedReportingOverflow(by: 2).partialValue)
            if hasSwapAccounting {
                // memory.limit_in_bytes must stay <= memsw.limit_in_bytes: raise memsw first when it grows.
                let current = Int64(try files.readTrimmed(swapFile)) ?? Int64.max
                if swap == -1 || swap >= current {
                    try files.write(String(swap), to: swapFile)
                    try files.write(String(memory), to: "\(directory)/memory.limit_in_bytes")
                } else {
                    try files.write(String(memory), to: "\(directory)/memory.limit_in_bytes")
                    try files.write(String(swap), to: swapFile)
                }
            } else {
                try files.write(String(memory), to: "\(directory)/memory.limit_in_bytes")
            }
        } else if limits.memoryBytes != nil {
            throw .unsupported(option: "--memory", reason: "the memory cgroup controller is not mounted")
        }
        if let kernel = limits.kernelMemoryBytes {
            let directory = try required("memory", option: "--kernel-memory")
            try files.write(String(kernel), to: "\(directory)/memory.kmem.limit_in_bytes")
        }
        if let tcp = limits.kernelTCPMemoryBytes {
            let directory = try required("memory", option: "--kernel-memory-tcp")
            try files.write(String(tcp), to: "\(directory)/memory.kmem.tcp.limit_in_bytes")
        }
        if limits.realtimePeriodMicroseconds != nil || limits.realtimeRuntimeMicroseconds != nil {
            try applyRealtime(period: limits.realtimePeriodMicroseconds, runtime: limits.realtimeRuntimeMicroseconds)
        }
        if let swappiness = limits.memorySwappiness {
            let directory = try required("memory", option: "--memory-swappiness")
            try files.write(String(swappiness), to: "\(directory)/memory.swappiness")
        }
        if limits.oomKillDisable {
            let directory = try required("memory", option: "--oom-kill-disable")
            try files.write("1", to: "\(directory)/memory.oom_control")
        }
        for throttle in limits.deviceThrottles {
            let directory = try required("blkio", option: throttle.kind.option)
            try files.write("\(try throttle.device()) \(throttle.rate)", to: "\(directory)/\(throttle.kind.v1File)")
        }
        if let shares = limits.cpuShares, shares != 0 {
            let directory = try required("cpu", option: "--cpu-shares")
            try files.write(String(shares), to: "\(directory)/cpu.shares")
        }
        if let cpus = limits.cpusetCpus {
            let directory = try required("cpuset", option: "--cpuset-cpus")
            try files.write(cpus, to: "\(directory)/cpuset.cpus")
        }
        if let pids = limits.pidsLimit {
            let directory = try required("pids", option: "--pids-limit")
            try files.write(pids > 0 ? String(pids) : "max", to: "\(directory)/pids.max")
        }
        if let weight = limits.blkioWeight, weight != 0, let file = hierarchy.blkioWeightFile {
            let directory = try required("blkio", option: "--blkio-weight")
            try files.write(String(weight), to: "\(directory)/\(file)")
        }
        for weight in limits.deviceWeights where weight.weight != 0 {
            // blkio.weight_device (CFQ) or blkio.bfq.weight_device (BFQ), beside the weight file the kernel has.
            guard let file = hierarchy.blkioWeightFile else {
                throw .unsupported(option: "--blkio-weight-device",
                                   reason: hierarchy.blkioWeightUnsupportedReason ?? "no blkio weight support")
            }
            let directory = try required("blkio", option: "--blkio-weight-device")
            try files.write("\(try weight.device()) \(weight.weight)", to: "\(directory)/\(file)_device")
        }
        if let directory = directory(for: "memory"), let reservation = limits.memoryReservationBytes {
            try files.write(String(reservation), to: "\(directory)/memory.soft_limit_in_bytes")
        }
        if limits.cpuPeriodMicroseconds != nil || limits.cpuQuotaMicroseconds != nil {
            let directory = try required("cpu", option: "--cpus")
            if let period = limits.cpuPeriodMicroseconds {
                try files.write(String(period), to: "\(directory)/cpu.cfs_period_us")
            }
            if let quota = limits.cpuQuotaMicroseconds {
                try files.write(String(quota), to: "\(directory)/cpu.cfs_quota_us")
            }
        }
        if let mems = limits.cpusetMems {
            let directory = try required("cpuset", option: "--cpuset-mems")
            try files.write(mems, to: "\(directory)/cpuset.mems")
        }
        if let directory = directory(for: "devices") {
            for rule in DeviceRule.dockerDefaults + limits.devices {
                try files.write(rule.cgroupV1Line, to: "\(directory)/\(rule.allow ? "devices.allow" : "devices.deny")")
            }
        } else if !limits.devices.isEmpty {
            throw .unsupported(option: "--device", reason: "the devices cgroup controller is not mounted")
        }
    }

    /// The v2 writes: memory.max, memory.swap.max, cpu.weight, cpuset.cpus, pids.max, io.weight.
    private func applyUnified(_ limits: ResourceLimits) throws(CgroupError) {
        guard let directory = directory(for: "memory") else {
            throw .unsupported(option: "cgroups", reason: "no cgroup2 hierarchy is mounted")
        }
        if let memory = limits.memoryBytes {
            try files.write(String(memory), to: "\(directory)/memory.max")
            let swapFile = "\(directory)/memory.swap.max"
            // Docker's --memory-swap is memory plus swap; memory.swap.max is swap alone. Unset means "as much
            // swap as memory".
            let swap: String
            switch limits.memorySwapBytes {
            case nil: swap = String(memory)
            case -1: swap = "max"
            case let total?: swap = String(UInt64(total) - memory)
            }
            if files.exists(swapFile) {
                try files.write(swap, to: swapFile)
            } else if let total = limits.memorySwapBytes, total != -1 {
                throw .unsupported(
                    option: "--memory-swap", reason: "this kernel has no swap accounting (memory.swap.max)")
            }
        }
        if let shares = limits.cpuShares, shares != 0 {
            try files.write(String(ResourceLimits.cpuWeight(forShares: shares)), to: "\(directory)/cpu.weight")
        }
        if let cpus = limits.cpusetCpus { try files.write(cpus, to: "\(directory)/cpuset.cpus") }
        for weight in limits.deviceWeights where weight.weight != 0 {
            if files.exists("\(directory)/io.weight") {
                let value = ResourceLimits.ioWeight(forBlkioWeight: weight.weight)
                try files.write("\(try weight.device()) \(value)", to: "\(directory)/io.weight")
            } else if files.exists("\(directory)/io.bfq.weight") {
                try files.write("\(try weight.device()) \(weight.weight)", to: "\(directory)/io.bfq.weight")
            } else {
                throw .unsupported(option: "--blkio-weight-device",
                                   reason: "this kernel has no io weight support (io.weight / io.bfq.weight)")
            }
        }
        for throttle in limits.deviceThrottles {
            let line = "\(try throttle.device()) \(throttle.kind.v2Key)=\(throttle.rate)"
            try files.write(line, to: "\(directory)/io.max")
        }
        if let pids = limits.pidsLimit { try files.write(pids > 0 ? String(pids) : "max", to: "\(directory)/pids.max") }
        if let reservation = limits.memoryReservationBytes {
            try files.write(String(reservation), to: "\(directory)/memory.low")
        }
        if limits.cpuPeriodMicroseconds != nil || limits.cpuQuotaMicroseconds != nil {
            // cpu.max is "QUOTA PERIOD"; a kept half is read back from the file.
            let current = (try? files.readTrimmed("\(directory)/cpu.max"))?.split(separator: " ") ?? []
            let quota = limits.cpuQuotaMicroseconds.map { $0 < 0 ? "max" : String($0) }
                ?? current.first.map(String.init) ?? "max"
            let period = limits.cpuPeriodMicroseconds.map(String.init)
                ?? current.dropFirst().first.map(String.init) ?? String(ResourceLimits.defaultCPUPeriodMicroseconds)
            try files.write("\(quota) \(period)", to: "\(directory)/cpu.max")
        }
        if let mems = limits.cpusetMems { try files.write(mems, to: "\(directory)/cpuset.mems") }
        if let weight = limits.blkioWeight, weight != 0 {
            if files.exists("\(directory)/io.weight") {
                try files.write(String(ResourceLimits.ioWeight(forBlkioWeight: weight)), to: "\(directory)/io.weight")
            } else if files.exists("\(directory)/io.bfq.weight") {
                try files.write(String(weight), to: "\(directory)/io.bfq.weight")
            } else {
                throw .unsupported(
                    option: "--blkio-weight",
                    reason: hierarchy.blkioWeightUnsupportedReason
                        ?? "this kernel has no io weight support (io.weight / io.bfq.weight)")
            }
        }
    }

    /// `cpu.rt_period_us` and `cpu.rt_runtime_us`. A new cgroup has no real-time budget and its children can get
    /// none: the parent (`splice`) first gets what the root allows, as dockerd's `--cpu-rt-runtime` daemon option
    /// gives its cgroup parent; the kernel refuses a budget the siblings' leave no room for.
    private func applyRealtime(period: UInt64?, runtime: Int64?) throws(CgroupError) {
        guard let mount = hierarchy.v1Mounts["cpu"], let directory = directory(for: "cpu"),
              files.exists("\(directory)/cpu.rt_runtime_us")
        else {
            throw .unsupported(option: "--cpu-rt-runtime",
                               reason: ResourceLimits.realtimeUnsupportedReason ?? "no cpu.rt_runtime_us here")
        }
        if let runtime, runtime != 0 {
            let wanted = runtime < 0 ? Int64.max : runtime
            // Top down: a level's budget cannot exceed the one above it.
            for level in parentLevels {
                let parentFile = "\(mount)/\(level)/cpu.rt_runtime_us"
                let granted = Int64(try files.readTrimmed(parentFile)) ?? 0
                guard granted >= 0, granted < wanted else { continue }
                let root = try files.readTrimmed("\(mount)/cpu.rt_runtime_us")
                do { try files.write(root, to: parentFile) } catch {
                    throw .unsupported(option: "--cpu-rt-runtime",
                                       reason: "cgroup \(level) cannot get the root's real-time budget (\(root) µs):"
                                           + " \(error)")
                }
            }
        }
        if let period { try files.write(String(period), to: "\(directory)/cpu.rt_period_us") }
        if let runtime { try files.write(String(runtime), to: "\(directory)/cpu.rt_runtime_us") }
    }

    /// The directory of a v1 controller, or `unsupported` naming the option when it is not mounted.
    private func required(_ controller: String, option: String) throws(CgroupError) -> String {
        guard let directory = directory(for: controller) else {
            throw .unsupported(option: option, reason: "the \(controller) cgroup controller is not mounted")
        }
        return directory
    }
}
