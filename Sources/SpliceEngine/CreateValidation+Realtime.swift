import SpliceRuntime
import struct EngineErrors.EngineError

extension CreateValidation {
    /// `--kernel-memory` and `KernelMemoryTCP`, as dockerd 20.10 checks them: at least 6 MB, deprecated, and each
    /// discarded with dockerd's warning where the kernel does not apply it (cgroup v2; the kernel memory limit
    /// since Linux 5.16, which ignores writes to `memory.kmem.limit_in_bytes`).
    static func validateKernelMemory(_ options: inout ContainerCreateOptions) throws(EngineError) -> [String] {
        guard options.kernelMemory != 0 || options.kernelMemoryTCP != 0 else { return [] }
        for value in [options.kernelMemory, options.kernelMemoryTCP] where value != 0 {
            guard value >= Int64(ResourceLimits.minimumMemoryBytes) else {
                throw EngineError(.invalidArgument, "Minimum kernel memory limit allowed is 6MB")
            }
        }
        var warnings: [String] = []
        if options.kernelMemory != 0 {
            warnings.append("Specifying a kernel memory limit is deprecated and will be removed in a future release.")
            if ContainerEngine.unifiedCgroups || !ResourceLimits.kernelMemoryLimitApplies {
                warnings.append("Your kernel does not support kernel memory limit capabilities or the cgroup is not"
                    + " mounted. Limitation discarded.")
                options.kernelMemory = 0
            }
        }
        if options.kernelMemoryTCP != 0, ContainerEngine.unifiedCgroups {
            warnings.append("Your kernel does not support kernel memory TCP limit capabilities or the cgroup is not"
                + " mounted. Limitation discarded.")
            options.kernelMemoryTCP = 0
        }
        return warnings
    }

    /// `--cpu-rt-period` and `--cpu-rt-runtime`, with dockerd's wording: cgroup v1's `cpu.rt_*` files (a kernel
    /// with CONFIG_RT_GROUP_SCHED), and a runtime no longer than the period.
    static func validateRealtime(_ options: ContainerCreateOptions) throws(EngineError) {
        let (period, runtime) = (options.cpuRealtimePeriod, options.cpuRealtimeRuntime)
        guard period != 0 || runtime != 0 else { return }
        if let reason = ResourceLimits.realtimeUnsupportedReason {
            let which = period > 0 ? "period" : "runtime"
            throw EngineError(.invalidArgument, "Your kernel does not support cgroup cpu real-time \(which)"
                + " (\(reason))")
        }
        guard period >= 0, runtime >= -1 else {
            throw EngineError(.invalidArgument, "invalid cpu real-time period or runtime: \(period), \(runtime)")
        }
        if period != 0, runtime > period {
            throw EngineError(.invalidArgument, "cpu real-time runtime cannot be higher than cpu real-time period")
        }
    }
}
