/// Where a container's root filesystem comes from.
public enum RootfsSpec: Codable, Sendable, Equatable {
    /// A plain directory, bind-mounted onto itself (tests, unpacked bundles).
    case directory(path: String)
    /// An overlay of read-only `lower` directories (top-most first, as overlayfs orders them) plus the
    /// container's own `upper` and `work` directories; mounted at `rootfs` in the state directory.
    case overlay(lower: [String], upper: String, work: String)
}
