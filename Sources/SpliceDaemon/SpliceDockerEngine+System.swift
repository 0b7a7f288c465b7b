import Glibc
import SpliceAPI
import SpliceEngine
import SpliceRuntime

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

    /// `GET /info`.
    public func info() async throws -> SystemInfo {
        let counts = await engine.counts()
        var info = SystemInfo()
        info.ID = "SPLICE"
        info.Containers = counts.total
        info.ContainersRunning = counts.running
        info.ContainersStopped = counts.stopped
        info.Images = (try? engine.images.images().count) ?? 0
        info.Debug = debug
        info.KernelVersion = Self.kernelRelease()
        info.OperatingSystem = "Splice"
        info.ServerVersion = serverVersion
        info.SystemTime = JSONLogLine.now()
        info.Name = Self.hostname()
        return info
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
}
