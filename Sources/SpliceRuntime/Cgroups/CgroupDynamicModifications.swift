import Glibc
import SystemKit

/// The cgroup2 mount option `favordynmods` (Linux 6.0+), which keeps the kernel's global cgroup migration lock in
/// its reader-slow mode, so that moving a task into a cgroup (every container start writes `cgroup.procs`) no longer
/// waits for an RCU grace period (7–20 ms measured here) at the price of slightly dearer fork and exit. The lock is
/// global, so the option on the v2 mount speeds up v1 hierarchies too.
public enum CgroupDynamicModifications {
    /// What `favor()` found or did.
    public enum Outcome: Sendable, Equatable {
        /// The cgroup2 mount at `mount` was remounted with `favordynmods`.
        case enabled(mount: String)
        /// The cgroup2 mount at `mount` already had it.
        case alreadyEnabled(mount: String)
        /// Nothing was changed, for `reason` (no cgroup2 mount, a kernel without the option).
        case unavailable(reason: String)
    }

    /// The cgroup2 options the kernel resets on a remount unless they are given again (`apply_cgroup_root_flags`).
    static let preservedOptions: Set<String> = [
        "nsdelegate", "memory_localevents", "memory_recursiveprot", "memory_hugetlb_accounting", "pids_localevents",
    ]

    /// Remounts the host's cgroup2 hierarchy with `favordynmods` unless it has it already. Equivalent to
    /// `mount -o remount,favordynmods /sys/fs/cgroup/unified` with the mount's other cgroup2 options kept.
    public static func favor(root: String = "") throws(CgroupError) -> Outcome {
        let files = CgroupFiles()
        let features = (try? files.read(root + "/sys/kernel/cgroup/features")) ?? ""
        guard features.split(separator: "\n").contains("favordynmods") else {
            return .unavailable(reason: "this kernel has no cgroup2 favordynmods option (Linux 6.0+)")
        }
        let mountinfo = try files.read(root + "/proc/self/mountinfo")
        guard let unified = MountInfoEntry.parse(mountinfo).first(where: { $0.fileSystemType == "cgroup2" }) else {
            return .unavailable(reason: "no cgroup2 hierarchy is mounted")
        }
        let mount = unified.mountPoint
        guard let data = remountData(superOptions: unified.superOptions) else { return .alreadyEnabled(mount: mount) }
        guard Glibc.mount(nil, root + mount, nil, UInt(MS_REMOUNT), data) == 0 else {
            throw .system(SystemError("mount", errno: .current, path: root + mount))
        }
        return .enabled(mount: mount)
    }

    /// The remount data that adds `favordynmods` and keeps the other cgroup2 flags; nil when it is already on.
    static func remountData(superOptions options: [String]) -> String? {
        guard !options.contains("favordynmods") else { return nil }
        return (options.filter(preservedOptions.contains) + ["favordynmods"]).joined(separator: ",")
    }
}
