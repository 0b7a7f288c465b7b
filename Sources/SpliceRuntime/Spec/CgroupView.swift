/// What the container sees at `/sys/fs/cgroup`: its own cgroup, as Docker mounts it, so that it can read its limits.
public enum CgroupView: Codable, Sendable, Equatable {
    /// One cgroup v1 hierarchy as the container sees it: `/sys/fs/cgroup/<name>` is the container's directory.
    public struct Hierarchy: Codable, Sendable, Equatable {
        /// The directory name under `/sys/fs/cgroup`, the host mount's (`memory`, `cpu,cpuacct`).
        public var name: String
        /// The container's cgroup directory on the host (`/sys/fs/cgroup/memory/splice/<id>`).
        public var source: String
        /// Symbolic links to `name` for co-mounted controllers (`cpu` and `cpuacct` for `cpu,cpuacct`).
        public var aliases: [String]

        /// Creates a hierarchy view.
        public init(name: String, source: String, aliases: [String] = []) {
            self.name = name
            self.source = source
            self.aliases = aliases
        }
    }

    /// Nothing is mounted there (sysfs's own empty directory).
    case none
    /// cgroup v1 or hybrid: a tmpfs holding one bind mount of the container's directory per hierarchy.
    case v1([Hierarchy])
    /// cgroup v2: with a cgroup namespace of its own (`ContainerSpec.privateCgroupNamespace`, Docker's default on
    /// v2) cgroup2 mounted at its root; in the host's, a bind of the container's directory `source`.
    case unified(source: String)
}
