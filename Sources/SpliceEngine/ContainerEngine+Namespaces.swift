import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// dockerd's default `CgroupnsMode`: `private` where cgroups are v2 only, `host` on v1 and hybrid hosts.
    static let defaultCgroupnsMode: String = {
        (try? CgroupHierarchy.current())?.usesUnified == true ? "private" : "host"
    }()

    /// The pid namespace for `HostConfig.PidMode`: empty or `private` a new one, `host` the host's,
    /// `container:NAME` that running container's.
    func pidNamespace(_ mode: String) throws(EngineError) -> NamespaceMode {
        switch mode {
        case "", "private": return .private
        case "host": return .host
        default:
            let other = try runningDonor(mode, kind: "PID")
            return .path("/proc/\(other.state.pid)/ns/pid")
        }
    }

    /// The IPC namespace and `/dev/shm` for `HostConfig.IpcMode`: empty, `private` or `shareable` a new one with a
    /// tmpfs, `none` a new one without `/dev/shm`, `host` the host's, `container:NAME` that running container's
    /// (which must be `shareable` or `host`, as dockerd asks) with its `/dev/shm`.
    func ipcNamespace(_ mode: String) throws(EngineError) -> (NamespaceMode, SharedMemory) {
        switch mode {
        case "", "private", "shareable": return (.private, .tmpfs)
        case "none": return (.private, .none)
        case "host": return (.host, .host)
        default:
            let other = try runningDonor(mode, kind: "IPC")
            let reference = String(mode.dropFirst("container:".count))
            switch other.configuration.request.ipcMode {
            case "host":
                return (.host, .host)
            case "shareable":
                return (.path("/proc/\(other.state.pid)/ns/ipc"), .namespace("/proc/\(other.state.pid)/ns/mnt"))
            default:
                throw EngineError(.conflict, "container \(reference): non-shareable IPC (hint: use IpcMode:shareable"
                    + " for the donor container)")
            }
        }
    }

    /// The running container a `container:NAME` namespace mode (`kind`: `PID`, `IPC`) names, with dockerd's errors
    /// for another mode and for a container that is not running.
    private func runningDonor(_ mode: String, kind: String) throws(EngineError) -> ContainerRecord {
        guard mode.hasPrefix("container:") else { throw EngineError(.invalidArgument, "invalid \(kind) mode: \(mode)") }
        let reference = String(mode.dropFirst("container:".count))
        guard let other = records[try resolve(reference)], other.state.isRunning, other.state.pid > 0 else {
            throw EngineError(.conflict, "cannot join \(kind) of a non running container: \(reference)")
        }
        return other
    }
}
