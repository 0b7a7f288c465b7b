import Glibc
import SystemKit

/// One container's cgroup, `<parent>/<id>` in every hierarchy Splice uses: create, limit, add, freeze, kill, remove.
public final class ContainerCgroup: Sendable {
    /// The v1 controllers a container cgroup is created in (each mount once).
    public static let v1Controllers = ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer"]
    /// The v2 controllers enabled for container cgroups, when the root offers them.
    public static let v2Controllers = ["cpu", "cpuset", "io", "memory", "pids"]

    /// The container identifier (the last path component).
    public let id: String
    /// The parent cgroup shared by all containers (`splice`), or the container's `--cgroup-parent`: a path
    /// relative to each hierarchy's root, such as `batch/jobs`.
    public let parent: String
    /// The parent shared by the containers that name none.
    public static let defaultParent = "splice"
    /// The host's cgroup layout.
    public let hierarchy: CgroupHierarchy
    /// File access (journals writes in tests).
    let files: CgroupFiles

    /// Describes the cgroup `<parent>/<id>`; nothing is created until `create()`.
    public convenience init(id: String, hierarchy: CgroupHierarchy, parent: String = defaultParent)
        throws(CgroupError)
    {
        try self.init(id: id, hierarchy: hierarchy, parent: parent, files: CgroupFiles())
    }

    /// Describes the cgroup with an explicit file accessor.
    init(id: String, hierarchy: CgroupHierarchy, parent: String, files: CgroupFiles) throws(CgroupError) {
        if !Self.isComponent(id) {
            throw .invalidArgument(option: "cgroup id", message: "invalid cgroup name: '\(id)'")
        }
        if !parent.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ Self.isComponent($0) }) {
            throw .invalidArgument(option: "--cgroup-parent", message: "invalid cgroup parent: '\(parent)'")
        }
        self.id = id
        self.parent = parent
        self.hierarchy = hierarchy
        self.files = files
    }

    /// Whether `name` is one directory name: not empty, `.` or `..`, and without a slash.
    static func isComponent(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/")
    }

    /// The parent and each directory above it, top first: `a`, `a/b` for the parent `a/b`.
    var parentLevels: [String] {
        var levels: [String] = []
        for component in parent.split(separator: "/") {
            levels.append(levels.last.map { "\($0)/\(component)" } ?? String(component))
        }
        return levels
    }

    /// The mount points used, once each, in controller order (v2: the unified mount only).
    var mounts: [String] {
        if hierarchy.usesUnified { return hierarchy.unifiedMount.map { [$0] } ?? [] }
        var seen = Set<String>()
        var result: [String] = []
        for controller in Self.v1Controllers {
            if let mount = hierarchy.v1Mounts[controller], seen.insert(mount).inserted { result.append(mount) }
        }
        return result
    }

    /// The container's directories, one per mount used, in creation order.
    public var directories: [String] { mounts.map { "\($0)/\(parent)/\(id)" } }

    /// The container's directory for a v1 controller (v2: the unified directory for any controller).
    public func directory(for controller: String) -> String? {
        if hierarchy.usesUnified { return hierarchy.unifiedMount.map { "\($0)/\(parent)/\(id)" } }
        return hierarchy.v1Mounts[controller].map { "\($0)/\(parent)/\(id)" }
    }

    /// Creates `<parent>/<id>` in every hierarchy, with each level of the parent; existing directories are kept. On
    /// v1 fills empty cpuset cpus/mems from the level above; on v2 enables the controllers in the parents'
    /// `cgroup.subtree_control`.
    public func create() throws(CgroupError) {
        if hierarchy.usesUnified {
            try createUnified()
            return
        }
        for mount in mounts {
            var above = mount
            for level in parentLevels + ["\(parent)/\(id)"] {
                try files.makeDirectory("\(mount)/\(level)")
                if hierarchy.v1Mounts["cpuset"] == mount { try inheritCpuset(from: above, to: "\(mount)/\(level)") }
                above = "\(mount)/\(level)"
            }
        }
    }

    /// Creates the v2 directories and delegates the controllers down to them.
    private func createUnified() throws(CgroupError) {
        guard let mount = hierarchy.unifiedMount else {
            throw .unsupported(option: "cgroups", reason: "no cgroup2 hierarchy is mounted")
        }
        let wanted = Self.v2Controllers.filter(hierarchy.v2Controllers.contains)
        let enable = wanted.map { "+" + $0 }.joined(separator: " ")
        if !enable.isEmpty { try files.write(enable, to: "\(mount)/cgroup.subtree_control") }
        for level in parentLevels {
            try files.makeDirectory("\(mount)/\(level)")
            if !enable.isEmpty { try files.write(enable, to: "\(mount)/\(level)/cgroup.subtree_control") }
        }
        try files.makeDirectory("\(mount)/\(parent)/\(id)")
    }

    /// Copies `cpuset.cpus` and `cpuset.mems` from `source` into `target` where the target's are empty.
    private func inheritCpuset(from source: String, to target: String) throws(CgroupError) {
        for name in ["cpuset.cpus", "cpuset.mems"] {
            if try files.readTrimmed("\(target)/\(name)").isEmpty {
                try files.write(try files.readTrimmed("\(source)/\(name)"), to: "\(target)/\(name)")
            }
        }
    }

    /// Moves process `pid` into the container cgroup in every hierarchy (`cgroup.procs`).
    public func add(pid: Int32) throws(CgroupError) {
        for directory in directories { try files.write("\(pid)", to: "\(directory)/cgroup.procs") }
    }

    /// The processes in the container cgroup (`cgroup.procs` of the first hierarchy).
    public func processes() throws(CgroupError) -> [Int32] {
        guard let directory = directories.first else { return [] }
        return try files.read("\(directory)/cgroup.procs").split(separator: "\n").compactMap { Int32($0) }
    }

    /// Removes the container directories in reverse order, retrying EBUSY briefly; missing ones count as removed.
    /// Continues past failures and throws the first.
    public func remove() throws(CgroupError) {
        var firstFailure: CgroupError?
        for directory in directories.reversed() {
            do {
                try files.removeDirectory(directory)
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
    }
}
