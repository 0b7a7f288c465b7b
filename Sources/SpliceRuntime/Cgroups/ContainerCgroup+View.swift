extension ContainerCgroup {
    /// How the container sees its own cgroup at `/sys/fs/cgroup` (Docker's layout): on v1 and hybrid hosts one
    /// directory per hierarchy named as the host's mount, with co-mounted controllers linked to it; on v2 a cgroup
    /// namespace or a bind of its directory.
    public var view: CgroupView {
        if hierarchy.usesUnified, let source = directory(for: "memory") { return .unified(source: source) }
        return .v1(mounts.map { mount in
            let name = mount.split(separator: "/").last.map(String.init) ?? mount
            let controllers = hierarchy.v1Mounts.filter { $0.value == mount }.keys.sorted()
            return CgroupView.Hierarchy(
                name: name, source: "\(mount)/\(parent)/\(id)", aliases: controllers.filter { $0 != name })
        })
    }
}
