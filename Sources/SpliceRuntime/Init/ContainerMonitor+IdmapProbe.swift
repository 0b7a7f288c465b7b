import Glibc
import SystemKit

extension ContainerMonitor {
    /// `splice-init probe-idmap DIR`: whether this kernel and the file system of `DIR` take what a remapped
    /// container's idmapped layers need (a detached idmapped mount of a directory, Linux 5.12+ and per file system,
    /// and an overlay over it, Linux 5.19+). Makes and removes `DIR/lower`, `upper` and `work`; exit 0 when they do,
    /// 1 with the refused step on stderr.
    public static func probeIdmappedLayers(directory: String) -> Int32 {
        let parts = ["lower", "upper", "work"].map { directory + "/" + $0 }
        defer {
            _ = rmdir(directory + "/work/work")
            for path in parts.reversed() { _ = rmdir(path) }
            _ = rmdir(directory)
        }
        for path in [directory] + parts where mkdir(path, 0o755) != 0 && Errno.current != .exists {
            FileHandleWriter.standardError("splice-init: mkdir \(path): \(Errno.current)\n")
            return 1
        }
        let map = [UserNamespaceSpec.Mapping(containerID: 0, hostID: 100_000, size: 65536)]
        do {
            _ = try MonitoredContainer.idmappedOverlay(UserNamespaceSpec(uidMappings: map, gidMappings: map),
                                                       lower: [parts[0]], upper: parts[1], work: parts[2])
            return 0
        } catch {
            FileHandleWriter.standardError("splice-init: \(error)\n")
            return 1
        }
    }
}
