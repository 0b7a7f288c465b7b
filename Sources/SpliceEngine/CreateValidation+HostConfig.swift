import Glibc
import SpliceRuntime
import struct EngineErrors.EngineError

extension CreateValidation {
    /// The kernel parameters a container may set, as runc allows them: those of its own network namespace
    /// (`net.*`, not with `--network host`) and IPC namespace (`kernel.msg*`, `kernel.sem`, `kernel.shm*`,
    /// `fs.mqueue.*`).
    static func validateSysctls(_ options: ContainerCreateOptions) throws(EngineError) {
        let ipc: Set<String> = ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                                "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"]
        for key in options.sysctls.keys.sorted() {
            let name = key.replacingOccurrences(of: "/", with: ".")
            guard !name.isEmpty, !name.split(separator: ".").contains("..") else {
                throw EngineError(.invalidArgument, "invalid sysctl \"\(key)\"")
            }
            if name.hasPrefix("net.") {
                let mode = options.networkMode
                if mode == "host" || mode.hasPrefix("container:") {
                    throw EngineError(.invalidArgument, "sysctl \"\(key)\" not allowed in host network namespace")
                }
                continue
            }
            guard ipc.contains(name) || name.hasPrefix("fs.mqueue.") else {
                throw EngineError(.invalidArgument, "sysctl \"\(key)\" is not in a separate kernel namespace")
            }
            if options.ipcMode == "host" || options.ipcMode.hasPrefix("container:") {
                throw EngineError(.invalidArgument, "sysctl \"\(key)\" not allowed in host IPC namespace")
            }
        }
    }

    /// The namespace, tmpfs, device-rule and swap options, with dockerd's wording.
    static func validateHostConfig(_ options: ContainerCreateOptions) throws(EngineError) {
        let pid = options.pidMode
        guard ["", "private", "host"].contains(pid) || (pid.hasPrefix("container:") && pid.count > 10) else {
            throw EngineError(.invalidArgument, "invalid PID mode: \(pid)")
        }
        let ipc = options.ipcMode
        for throttle in options.deviceThrottles {
            do { _ = try throttle.device() } catch {
                throw EngineError(.invalidArgument, ContainerEngine.message(of: error), cause: error)
            }
        }
        let ipcModes = ["", "private", "shareable", "none", "host"]
        guard ipcModes.contains(ipc) || (ipc.hasPrefix("container:") && ipc.count > 10) else {
            throw EngineError(.invalidArgument, "invalid IPC mode: \(ipc)")
        }
        guard (-1000...1000).contains(options.oomScoreAdjust) else {
            throw EngineError(.invalidArgument, "Invalid value \(options.oomScoreAdjust), range for oom score adj is"
                + " [-1000, 1000]")
        }
        guard ["", "host"].contains(options.utsMode) else {
            throw EngineError(.invalidArgument, "invalid UTS mode: \(options.utsMode)")
        }
        if options.utsMode == "host", let hostname = options.hostname, !hostname.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: hostname and the UTS mode")
        }
        guard ["", "host", "private"].contains(options.cgroupnsMode) else {
            throw EngineError(.invalidArgument, "invalid cgroup namespace mode: \(options.cgroupnsMode)")
        }
        // A tmpfs shares no path with another mount (binds and volumes are checked where they are resolved).
        var targets = Set<String>()
        for bind in options.binds { targets.insert(ContainerEngine.normalize(try VolumeSpec.parse(bind).destination)) }
        for mount in options.mounts where mount.kind != .tmpfs {
            targets.insert(ContainerEngine.normalize(mount.target))
        }
        for target in options.tmpfs.keys.sorted() + options.mounts.filter({ $0.kind == .tmpfs }).map(\.target) {
            guard targets.insert(ContainerEngine.normalize(target)).inserted else {
                throw EngineError(.invalidArgument, "Duplicate mount point: \(ContainerEngine.normalize(target))")
            }
        }
        for (target, text) in options.tmpfs {
            guard target.hasPrefix("/") else {
                throw EngineError(.invalidArgument, "invalid mount config for type \"tmpfs\": invalid mount path:"
                    + " '\(target)' mount path must be absolute")
            }
            do { _ = try TmpfsMount(target: target, options: text).mountArguments() } catch {
                let message = if case .invalidSpec(let reason) = error { reason } else { error.description }
                throw EngineError(.invalidArgument, message, cause: error)
            }
        }
        if options.shmSize < 0 { throw EngineError(.invalidArgument, "SHM size can not be less than 0") }
        try validateSysctls(options)
        var limited = Set<String>()
        for limit in options.ulimits {
            do { try limit.validate() } catch {
                let message = if case .invalidSpec(let reason) = error { reason } else { error.description }
                throw EngineError(.invalidArgument, message, cause: error)
            }
            guard limited.insert(limit.name).inserted else {
                throw EngineError(.invalidArgument, "ulimit \"\(limit.name)\" given twice")
            }
        }
        for rule in options.deviceCgroupRules {
            do { _ = try DeviceRule.parseCgroupRule(rule) } catch {
                throw EngineError(.invalidArgument, ContainerEngine.message(of: error), cause: error)
            }
        }
        for mount in options.mounts where mount.kind == .bind {
            var info = stat()
            guard stat(mount.source, &info) == 0 else {
                throw EngineError(.invalidArgument, "invalid mount config for type \"bind\": bind source path does not"
                    + " exist: \(mount.source)")
            }
        }
        _ = try logSettings(options)
        if options.memorySwap > 0 && options.memory == 0 {
            throw EngineError(.invalidArgument, "You should always set the Memory limit when using Memoryswap limit,"
                + " see usage")
        }
        if options.memory > 0 && options.memorySwap > 0 && options.memorySwap < options.memory {
            throw EngineError(.invalidArgument, "Minimum memoryswap limit should be larger than memory limit, see"
                + " usage")
        }
        if let swappiness = options.memorySwappiness, swappiness != -1, !(0...100).contains(swappiness) {
            throw EngineError(.invalidArgument, "Invalid value: \(swappiness), valid memory swappiness range is 0-100")
        }
    }

    /// The log drivers a stock dockerd registers; of these spliced implements `json-file` and `none`.
    static let knownLogDrivers: Set<String> = [
        "json-file", "none", "local", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "gcplogs",
        "logentries", "etwlogs",
    ]
    /// The json-file options dockerd accepts.
    static let jsonFileOptions: Set<String> = [
        "max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag",
    ]

    /// The monitor's log settings for `LogConfig`, with dockerd's errors for an unknown driver or option.
    public static func logSettings(_ options: ContainerCreateOptions) throws(EngineError) -> LogSettings {
        let driver = options.logDriver.isEmpty ? "json-file" : options.logDriver
        guard knownLogDrivers.contains(driver) else {
            throw EngineError(.invalidArgument, "logger: no log driver named '\(driver)' is registered")
        }
        guard driver == "json-file" || driver == "none" else {
            throw EngineError(.invalidArgument, "logger: the '\(driver)' log driver is not supported by spliced"
                + " (json-file and none are)")
        }
        if driver == "none" {
            if let key = options.logOptions.keys.sorted().first {
                throw EngineError(.invalidArgument, "unknown log opt '\(key)' for none log driver")
            }
            return LogSettings(enabled: false)
        }
        for key in options.logOptions.keys.sorted() where !jsonFileOptions.contains(key) {
            throw EngineError(.invalidArgument, "unknown log opt '\(key)' for json-file log driver")
        }
        var settings = LogSettings()
        if let text = options.logOptions["max-size"], text != "-1" {
            do { settings.maxSize = try ResourceLimits.parseSize(text, option: "max-size") } catch {
                throw EngineError(.invalidArgument, "invalid max-size: \(text)", cause: error)
            }
        }
        if let text = options.logOptions["max-file"] {
            guard let count = Int(text) else {
                throw EngineError(.invalidArgument, "strconv.Atoi: parsing \"\(text)\": invalid syntax")
            }
            guard count >= 1 else { throw EngineError(.invalidArgument, "max-file cannot be less than 1") }
            guard count == 1 || settings.maxSize > 0 else {
                throw EngineError(.invalidArgument, "max-file can only be used with max-size")
            }
            settings.maxFiles = count
        }
        return settings
    }
}
