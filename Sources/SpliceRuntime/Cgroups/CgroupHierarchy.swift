import Glibc
import SystemKit

/// Where the cgroup controllers live on this host: v1, v2 (unified) or hybrid, read from mountinfo.
public struct CgroupHierarchy: Sendable, Equatable {
    /// How cgroups are mounted.
    public enum Mode: String, Sendable, Equatable {
        /// Only v1 controller hierarchies.
        case v1
        /// Only the v2 unified hierarchy.
        case v2
        /// v1 controller hierarchies plus a v2 mount (usually /sys/fs/cgroup/unified) with no controllers we use.
        case hybrid
    }

    /// How cgroups are mounted.
    public let mode: Mode
    /// Each v1 controller's mount point (co-mounted controllers share one), such as `memory` → /sys/fs/cgroup/memory.
    public let v1Mounts: [String: String]
    /// The cgroup2 mount point, if any.
    public let unifiedMount: String?
    /// The controllers the v2 root offers (`cgroup.controllers`).
    public let v2Controllers: Set<String>
    /// The controllers /proc/cgroups lists as enabled.
    public let enabledControllers: Set<String>
    /// The file that sets a block I/O weight, such as `blkio.weight` or `io.weight`; nil when the kernel lacks it.
    public let blkioWeightFile: String?

    /// Creates a description of a layout (tests use this with temp directories).
    public init(
        mode: Mode, v1Mounts: [String: String], unifiedMount: String?, v2Controllers: Set<String> = [],
        enabledControllers: Set<String> = [], blkioWeightFile: String?
    ) {
        self.mode = mode
        self.v1Mounts = v1Mounts
        self.unifiedMount = unifiedMount
        self.v2Controllers = v2Controllers
        self.enabledControllers = enabledControllers
        self.blkioWeightFile = blkioWeightFile
    }

    /// Whether limits go through the v2 unified hierarchy (v2-only hosts).
    public var usesUnified: Bool { mode == .v2 }

    /// Why `--blkio-weight` cannot be honoured here, or nil when it can.
    public var blkioWeightUnsupportedReason: String? {
        if blkioWeightFile != nil { return nil }
        return "this kernel has no blkio weight support (CONFIG_BFQ_GROUP_IOSCHED / CFQ)"
    }

    /// A short human-readable summary, such as `hybrid: memory=/sys/fs/cgroup/memory …; blkio weight: absent`.
    public var summary: String {
        var parts = ["\(mode.rawValue):"]
        for controller in v1Mounts.keys.sorted() { parts.append("\(controller)=\(v1Mounts[controller] ?? "")") }
        if let unifiedMount {
            parts.append("unified=\(unifiedMount) [\(v2Controllers.sorted().joined(separator: " "))]")
        }
        parts.append("blkio weight: " + (blkioWeightFile ?? "absent"))
        return parts.joined(separator: " ")
    }

    /// This host's layout, detected once per process on first use (mounts of cgroup hierarchies do not move under a
    /// running daemon; `spliced` remounts with favordynmods before any container operation), instead of reading
    /// mountinfo again for every cgroup operation.
    public static func current() throws(CgroupError) -> CgroupHierarchy { try detectedOnce.get() }

    private static let detectedOnce = Result { () throws(CgroupError) -> CgroupHierarchy in try detect() }

    /// Detects the live layout from `/proc/self/mountinfo` and `/proc/cgroups`; `root` prefixes every path
    /// (tests point it at a temp directory).
    public static func detect(root: String = "") throws(CgroupError) -> CgroupHierarchy {
        let files = CgroupFiles()
        let mountinfo = try files.read(root + "/proc/self/mountinfo")
        let cgroups = (try? files.read(root + "/proc/cgroups")) ?? ""
        return try parse(mountinfo: mountinfo, cgroups: cgroups, root: root)
    }

    /// Builds the layout from mountinfo and /proc/cgroups text; `root` prefixes mount points when probing files.
    public static func parse(mountinfo: String, cgroups: String, root: String = "") throws(CgroupError)
        -> CgroupHierarchy
    {
        let enabled = enabledControllers(fromProcCgroups: cgroups)
        var v1: [String: String] = [:]
        var unified: String?
        for entry in MountInfoEntry.parse(mountinfo) {
            let mountPoint = root + entry.mountPoint
            if entry.fileSystemType == "cgroup2" {
                if unified == nil { unified = mountPoint }
            } else if entry.fileSystemType == "cgroup" {
                for option in entry.superOptions {
                    guard isControllerOption(option, enabled: enabled) else { continue }
                    if v1[option] == nil { v1[option] = mountPoint }
                }
            }
        }
        let mode: Mode
        switch (v1.isEmpty, unified) {
        case (false, nil): mode = .v1
        case (false, _): mode = .hybrid
        case (true, .some): mode = .v2
        case (true, nil): throw .unsupported(option: "cgroups", reason: "no cgroup hierarchy is mounted")
        }
        let files = CgroupFiles()
        var v2Controllers = Set<String>()
        if let unified, let text = try? files.read(unified + "/cgroup.controllers") {
            v2Controllers = Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        }
        var weightFile: String?
        if mode == .v2 {
            // io.weight exists only below the root; the io controller being offered is the best a probe can do.
            if v2Controllers.contains("io") { weightFile = "io.weight" }
        } else if let blkio = v1[blkioController] {
            weightFile = ["blkio.weight", "blkio.bfq.weight"].first { files.exists(blkio + "/" + $0) }
        }
        return CgroupHierarchy(
            mode: mode, v1Mounts: v1, unifiedMount: unified, v2Controllers: v2Controllers,
            enabledControllers: enabled, blkioWeightFile: weightFile)
    }

    /// The v1 controller that governs block I/O.
    static let blkioController = "blkio"

    /// Controller names from /proc/cgroups whose `enabled` column is 1.
    static func enabledControllers(fromProcCgroups text: String) -> Set<String> {
        var names = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 4 && fields[3] == "1" { names.insert(String(fields[0])) }
        }
        return names
    }

    /// Whether a v1 mount option names a controller (as opposed to `rw`, `name=systemd`, `xattr` …).
    static func isControllerOption(_ option: String, enabled: Set<String>) -> Bool {
        if !enabled.isEmpty { return enabled.contains(option) }
        let known: Set<String> = [
            "cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "net_cls", "perf_event",
            "net_prio", "hugetlb", "pids", "rdma", "misc",
        ]
        return known.contains(option)
    }
}
