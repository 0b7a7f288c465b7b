/// The `X-Docker-Container-Path-Stat` JSON (base64 in the header); `mode` uses Go `os.FileMode` bits (7.6).
public struct PathStat: Codable, Sendable, Equatable {
    /// Go's `ModeDir` bit.
    public static let modeDirectory: UInt32 = 0x8000_0000
    /// Go's `ModeSymlink` bit.
    public static let modeSymlink: UInt32 = 0x0800_0000

    /// Base name.
    public var name: String
    /// Size in bytes.
    public var size: Int64
    /// Permission bits plus Go type bits.
    public var mode: UInt32
    /// Modification time, RFC 3339 nano.
    public var mtime: String
    /// Symlink target or empty.
    public var linkTarget: String
    /// Creates a stat.
    public init(name: String, size: Int64, mode: UInt32, mtime: String, linkTarget: String = "") {
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }
}
