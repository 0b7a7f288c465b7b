import Glibc
import SystemKit

/// Finds every distinct network namespace on the machine: the named ones under `/run/netns` and those of
/// running processes. Used by `pipework --list` to find marks inside guests.
public enum NamespaceScanner {
    /// Opens each distinct namespace once, skipping `excluding` (the host) and any that vanish meanwhile.
    public static func all(excluding: NetworkNamespace? = nil) -> [NetworkNamespace] {
        var seen = Set<FileIdentity>()
        if let excluding, let identity = try? excluding.identity() { seen.insert(identity) }
        var result: [NetworkNamespace] = []
        func consider(_ open: () throws(SystemError) -> NetworkNamespace) {
            guard let namespace = try? open(), let identity = try? namespace.identity() else { return }
            if seen.insert(identity).inserted { result.append(namespace) }
        }
        for name in Directory.entries(NetworkNamespace.namedDirectory) {
            consider { () throws(SystemError) in try NetworkNamespace.open(named: name) }
        }
        for entry in Directory.entries("/proc") {
            guard let pid = Int32(entry) else { continue }
            consider { () throws(SystemError) in try NetworkNamespace.open(pid: pid) }
        }
        return result
    }
}
