/// How `ArchiveExtractor` writes a tar into a container.
public struct ExtractOptions: Sendable {
    /// Refuse to replace a directory with a non-directory or the reverse (`noOverwriteDirNonDir`, as `docker cp`
    /// asks).
    public var noOverwriteDirNonDir: Bool
    /// The most bytes the entries may expand to; nil for no limit.
    public var maximumBytes: Int64?
    /// Maps a tar entry's uid and gid to the owner on disk (a remapped container's root is not the host's).
    public var owner: @Sendable (UInt32, UInt32) -> (UInt32, UInt32)

    /// Creates options; owners are kept as the tar has them unless `owner` maps them.
    public init(noOverwriteDirNonDir: Bool = false, maximumBytes: Int64? = nil,
                owner: @escaping @Sendable (UInt32, UInt32) -> (UInt32, UInt32) = { ($0, $1) })
    {
        self.noOverwriteDirNonDir = noOverwriteDirNonDir
        self.maximumBytes = maximumBytes
        self.owner = owner
    }
}
