import Glibc

extension ResourceLimits {
    /// Parses a Docker memory size (`512m`, `1g`, `100k`, `4096b`, `1.5GiB`, plain bytes; case-insensitive)
    /// and enforces Docker's 6 MB minimum.
    public static func parseMemory(_ text: String) throws(CgroupError) -> UInt64 {
        let bytes = try parseSize(text, option: "--memory")
        if bytes < minimumMemoryBytes {
            throw .invalidArgument(option: "--memory", message: "Minimum memory limit allowed is 6MB")
        }
        return bytes
    }

    /// Parses a Docker size with binary units (b, k, m, g, t, p; optional `i` and `b` suffix) into bytes.
    public static func parseSize(_ text: String, option: String) throws(CgroupError) -> UInt64 {
        let invalid = CgroupError.invalidArgument(option: option, message: "invalid size: '\(text)'")
        var chars = Array(CgroupFiles.trimmed(text).lowercased())
        // Strip the unit: an optional "b", an optional "i", then an optional multiplier letter.
        if chars.last == "b" { chars.removeLast() }
        if chars.last == "i" { chars.removeLast() }
        var multiplier: UInt64 = 1
        let units: [Character: UInt64] = [
            "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50,
        ]
        if let last = chars.last, let unit = units[last] {
            multiplier = unit
            chars.removeLast()
        }
        if chars.last == " " { chars.removeLast() }
        let number = String(chars)
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard !number.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
              let whole = UInt64(parts[0])
        else { throw invalid }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        if overflow { throw invalid }
        var total = scaled
        if parts.count == 2 {
            // Fraction of one unit, truncated to whole bytes as Docker does.
            var fraction = 0.0
            var scale = 0.1
            for digit in parts[1] {
                fraction += Double(digit.wholeNumberValue ?? 0) * scale
                scale /= 10
            }
            let (sum, carry) = total.addingReportingOverflow(UInt64(fraction * Double(multiplier)))
            if carry { throw invalid }
            total = sum
        }
        return total
    }

    /// Parses cpuset syntax (`0-1,3`) into the sorted CPU numbers it names.
    public static func parseCpuList(_ text: String, option: String = "--cpuset-cpus") throws(CgroupError) -> [Int] {
        let invalid = CgroupError.invalidArgument(option: option, message: "Invalid value \(text) for cpuset cpus")
        let trimmed = CgroupFiles.trimmed(text)
        if trimmed.isEmpty { return [] }
        var cpus = Set<Int>()
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low <= high, high < 8192
            else { throw invalid }
            for cpu in low...high { cpus.insert(cpu) }
        }
        return cpus.sorted()
    }

    /// Checks `requested` cpuset syntax and that every CPU it names is in `online` (cpuset syntax too).
    public static func validateCpuset(_ requested: String, online: String) throws(CgroupError) {
        let wanted = try parseCpuList(requested)
        let available = Set(try parseCpuList(online, option: "online CPUs"))
        if !wanted.allSatisfy(available.contains) {
            throw .invalidArgument(
                option: "--cpuset-cpus",
                message: "Requested CPUs are not available - requested \(requested), available: "
                    + CgroupFiles.trimmed(online))
        }
    }

    /// The host's online CPUs in cpuset syntax, read from `path` (normally /sys/devices/system/cpu/online).
    public static func onlineCPUs(path: String = "/sys/devices/system/cpu/online") throws(CgroupError) -> String {
        try CgroupFiles().readTrimmed(path)
    }

    /// Converts v1 CPU shares to a v2 `cpu.weight` the way runc does: 1 + ((shares - 2) × 9999) / 262142.
    public static func cpuWeight(forShares shares: UInt64) -> UInt64 {
        let clamped = min(max(shares, 2), 262_144)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }

    /// Converts a v1 blkio weight (10...1000) to a v2 `io.weight` (1...10000) the way runc does.
    public static func ioWeight(forBlkioWeight weight: UInt16) -> UInt64 {
        let clamped = UInt64(min(max(weight, 10), 1000))
        return 1 + (clamped - 10) * 9999 / 990
    }

    /// Checks every limit against Docker's rules without touching the system; `onlineCPUs` (cpuset syntax) also
    /// checks the cpuset against the host, nil checks only its syntax.
    public func validate(onlineCPUs: String?) throws(CgroupError) {
        if let memoryBytes, memoryBytes < Self.minimumMemoryBytes {
            throw .invalidArgument(option: "--memory", message: "Minimum memory limit allowed is 6MB")
        }
        if let swap = memorySwapBytes, swap != -1 {
            guard let memoryBytes else {
                throw .invalidArgument(
                    option: "--memory-swap",
                    message: "You should always set the Memory limit when using Memoryswap limit, see usage")
            }
            if swap < 0 || UInt64(swap) < memoryBytes {
                throw .invalidArgument(
                    option: "--memory-swap",
                    message: "Minimum memoryswap limit should be larger than memory limit, see usage")
            }
        }
        if let cpusetCpus {
            if let onlineCPUs {
                try Self.validateCpuset(cpusetCpus, online: onlineCPUs)
            } else {
                _ = try Self.parseCpuList(cpusetCpus)
            }
        }
        if let blkioWeight, blkioWeight != 0, !(10...1000).contains(blkioWeight) {
            throw .invalidArgument(
                option: "--blkio-weight", message: "Range of blkio weight is from 10 to 1000")
        }
        for device in deviceWeights where device.weight != 0 && !(10...1000).contains(device.weight) {
            throw .invalidArgument(option: "--blkio-weight-device",
                                   message: "invalid weight for device: \(device.path):\(device.weight)")
        }
        if let period = cpuPeriodMicroseconds, !(1000...1_000_000).contains(period) {
            throw .invalidArgument(option: "--cpu-period", message: "CPU cfs period can not be less than 1ms (i.e. "
                + "1000) or larger than 1s (i.e. 1000000)")
        }
        if let quota = cpuQuotaMicroseconds, quota != -1, quota < 1000 {
            throw .invalidArgument(option: "--cpu-quota", message: "CPU cfs quota can not be less than 1ms (i.e. 1000)")
        }
        if let reservation = memoryReservationBytes {
            if reservation < Self.minimumMemoryBytes {
                throw .invalidArgument(option: "--memory-reservation",
                                       message: "Minimum memory reservation allowed is 6MB")
            }
            if let memoryBytes, memoryBytes < reservation {
                throw .invalidArgument(option: "--memory-reservation", message: "Minimum memory limit can not be "
                    + "less than memory reservation limit, see usage")
            }
        }
        if let cpusetMems { _ = try Self.parseCpuList(cpusetMems, option: "--cpuset-mems") }
    }
}
