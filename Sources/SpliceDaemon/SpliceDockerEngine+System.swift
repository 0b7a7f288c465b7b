import Glibc
import SpliceAPI
import SpliceEngine
import SpliceRuntime
import SystemKit

extension SpliceDockerEngine {
    /// `GET /version`.
    public func version() async throws -> SystemVersion {
        let kernel = Self.kernelRelease()
        var version = SystemVersion()
        version.Platform = .init(Name: "Splice")
        version.Version = serverVersion
        version.GoVersion = "swift6.3"
        version.Arch = "amd64"
        version.KernelVersion = kernel
        version.Components = [.init(Name: "Engine", Version: serverVersion, Details: [
            "ApiVersion": version.ApiVersion, "MinAPIVersion": version.MinAPIVersion, "Os": "linux", "Arch": "amd64",
            "KernelVersion": kernel, "GoVersion": "swift6.3", "Experimental": "false",
        ])]
        return version
    }

    /// `GET /info`: what `docker info` of Docker 1.x shows (containers by state, images, storage and execution
    /// driver, kernel, OS, CPUs, memory, name, ID, root dir, debug, registries) and the kernel's warnings.
    public func info() async throws -> SystemInfo {
        let counts = await engine.counts()
        var info = SystemInfo()
        info.ID = settings.daemonID
        info.Containers = counts.total
        info.ContainersRunning = counts.running
        info.ContainersPaused = 0
        info.ContainersStopped = counts.stopped
        do { info.Images = try engine.images.images().count } catch {
            info.Images = 0
            engine.configuration.logger.warning("images not counted", metadata: ["error": "\(error)"])
        }
        info.Driver = settings.storageDriver
        info.DriverStatus = [["Backing Filesystem", settings.backingFilesystem]]
        info.ExecutionDriver = settings.executionDriver
        info.Debug = debug
        info.KernelVersion = Self.kernelRelease()
        info.OperatingSystem = settings.operatingSystem
        info.OSVersion = settings.osVersion
        info.Architecture = Self.machine()
        info.NCPU = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        info.MemTotal = settings.memoryTotal
        info.ServerVersion = serverVersion
        info.SystemTime = JSONLogLine.now()
        info.Name = Self.hostname()
        info.DockerRootDir = settings.rootDirectory
        info.SecurityOptions = ["name=seccomp,profile=default"]
            + (settings.userNamespaces ? [UserNamespaceRemap.securityOption] : [])
        var registry = SystemInfo.RegistryConfig()
        registry.InsecureRegistryCIDRs = ["127.0.0.0/8"] + settings.insecureRegistries
        registry.Mirrors = settings.registryMirrors
        var index = SystemInfo.IndexInfo(Name: "docker.io", Secure: true, Official: true)
        index.Mirrors = settings.registryMirrors
        registry.IndexConfigs = ["docker.io": index]
        info.RegistryConfig = registry
        let forwarding = SystemWarnings.forwarding()
        info.IPv4Forwarding = forwarding.isEmpty
        info.SwapLimit = !settings.warnings.contains("WARNING: No swap limit support")
        info.MemoryLimit = !settings.warnings.contains("WARNING: No memory limit support")
        let warnings = settings.warnings + forwarding
        info.Warnings = warnings.isEmpty ? nil : warnings
        return info
    }

    /// Fills the host facts of `settings` (OS, memory, graph file system, ID) once, at startup, so that `/info`
    /// reads no files but `ip_forward`.
    public static func probeHost(into settings: inout DaemonInfoSettings) {
        let release = osRelease()
        settings.operatingSystem = release["PRETTY_NAME"] ?? "Linux"
        settings.osVersion = release["VERSION_ID"] ?? ""
        settings.memoryTotal = memoryTotal()
        settings.backingFilesystem = backingFilesystem(settings.rootDirectory)
        settings.daemonID = daemonID(graph: settings.rootDirectory)
        settings.warnings = SystemWarnings.probe()
    }

    static func kernelRelease() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func hostname() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func machine() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// `/etc/os-release` as key/value pairs (quotes removed).
    static func osRelease(path: String = "/etc/os-release") -> [String: String] {
        guard let text = SystemWarnings.read(path) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = line[line.index(after: equals)...]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            values[String(line[..<equals])] = String(value)
        }
        return values
    }

    /// Total memory in bytes, from `/proc/meminfo`'s `MemTotal`.
    static func memoryTotal(path: String = "/proc/meminfo") -> Int64 {
        guard let text = SystemWarnings.read(path) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int64(fields[1]) { return kilobytes * 1024 }
        }
        return 0
    }

    /// The file system type under `path`, as `docker info` names it (`extfs`, `xfs`, `tmpfs`, ...), from the
    /// longest matching mount point in `/proc/self/mountinfo`.
    static func backingFilesystem(_ path: String, mountinfo: String = "/proc/self/mountinfo") -> String {
        guard let text = SystemWarnings.readAll(mountinfo) else { return "unknown" }
        var best = (length: -1, type: "unknown")
        for entry in MountInfoEntry.parse(text) {
            let mountPoint = entry.mountPoint
            let matches = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if matches, mountPoint.count > best.length { best = (mountPoint.count, entry.fileSystemType) }
        }
        switch best.type {
        case "ext2", "ext3", "ext4": return "extfs"
        default: return best.type
        }
    }

    /// A stable daemon ID in Docker's `XXXX:XXXX:...` shape, from the graph's path and the machine id.
    static func daemonID(graph: String) -> String {
        let seed = (SystemWarnings.read("/etc/machine-id") ?? "") + graph
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var words: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        for round in 0..<12 {
            for byte in (seed + String(round)).utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            words.append(String((0..<4).map { alphabet[Int((hash >> (UInt64($0) * 5)) & 31)] }))
        }
        return words.joined(separator: ":")
    }
}
