/// One `HostConfig.Mounts` entry (`--mount type=bind|volume|tmpfs,…`) as the engine keeps it; binds and volumes go
/// through the same resolution as `-v` (`bindText`), tmpfs mounts join `HostConfig.Tmpfs` (`tmpfsOptions`).
public struct MountOption: Codable, Sendable, Equatable {
    /// What is mounted.
    public enum Kind: String, Codable, Sendable {
        /// A host path.
        case bind
        /// A named volume, or a new anonymous one when the source is empty.
        case volume
        /// A tmpfs.
        case tmpfs
    }

    /// Bind, volume or tmpfs.
    public var kind: Kind
    /// The host path (bind) or volume name (volume); empty for an anonymous volume or a tmpfs.
    public var source: String
    /// The absolute path inside the container.
    public var target: String
    /// Mounted read-only.
    public var readOnly: Bool
    /// Bind propagation (`rprivate`, `shared`, `rslave` …); empty for the default, `rprivate`.
    public var propagation: String
    /// A new volume is not filled with the image's content at the target.
    public var noCopy: Bool
    /// The tmpfs size in bytes; 0 for the kernel's default.
    public var tmpfsSize: Int64
    /// The tmpfs root's permission bits; nil for the kernel's default (1777).
    public var tmpfsMode: UInt32?

    /// Creates a mount option.
    public init(kind: Kind, source: String = "", target: String, readOnly: Bool = false, propagation: String = "",
                noCopy: Bool = false, tmpfsSize: Int64 = 0, tmpfsMode: UInt32? = nil) {
        self.kind = kind
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.propagation = propagation
        self.noCopy = noCopy
        self.tmpfsSize = tmpfsSize
        self.tmpfsMode = tmpfsMode
    }

    /// The same mount in `-v` form (`/host:/ctr:ro,rshared`, `name:/ctr:nocopy`, `/ctr`); nil for a tmpfs.
    public var bindText: String? {
        switch kind {
        case .tmpfs: return nil
        case .volume where source.isEmpty: return target
        case .bind, .volume:
            var words: [String] = []
            if readOnly { words.append("ro") }
            if kind == .bind && !propagation.isEmpty { words.append(propagation) }
            if kind == .volume && noCopy { words.append("nocopy") }
            return "\(source):\(target)" + (words.isEmpty ? "" : ":" + words.joined(separator: ","))
        }
    }

    /// The tmpfs option text (`ro,size=65536,mode=1777`), as `HostConfig.Tmpfs` takes it.
    public var tmpfsOptions: String {
        var words: [String] = []
        if readOnly { words.append("ro") }
        if tmpfsSize > 0 { words.append("size=\(tmpfsSize)") }
        if let tmpfsMode { words.append("mode=" + String(tmpfsMode, radix: 8)) }
        return words.joined(separator: ",")
    }
}
