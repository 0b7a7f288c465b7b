/// One mount a container gets from `-v`, `Config.Volumes`, the image's volumes or `--volumes-from`, resolved at
/// create time (inspect's `Mounts`).
public struct VolumeMount: Codable, Sendable, Equatable {
    /// What is mounted.
    public enum Kind: String, Codable, Sendable {
        /// A host path (`-v /host:/ctr`).
        case bind
        /// A volume under `<graph>/volumes/<name>/_data`.
        case volume
    }

    /// Bind or volume.
    public var kind: Kind
    /// The volume's name (volumes only).
    public var name: String?
    /// The host path mounted.
    public var source: String
    /// The absolute path inside the container.
    public var destination: String
    /// Whether the container sees it read-only.
    public var readOnly: Bool
    /// The mode text as given (`ro`, `rw`, `z`, or empty).
    public var mode: String
    /// An anonymous volume, removed with the container by `rm -v`.
    public var anonymous: Bool

    /// Creates a resolved mount.
    public init(kind: Kind, name: String? = nil, source: String, destination: String, readOnly: Bool = false,
                mode: String = "", anonymous: Bool = false) {
        self.kind = kind
        self.name = name
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
        self.mode = mode
        self.anonymous = anonymous
    }
}
