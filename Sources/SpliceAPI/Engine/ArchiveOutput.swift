/// `GET /containers/{id}/archive` result: the stat of the path and its tar stream.
public struct ArchiveOutput: Sendable {
    /// Stat of the requested path.
    public var stat: PathStat
    /// The tar bytes, top entry named after the path's base name.
    public var tar: AsyncThrowingStream<[UInt8], any Error>
    /// Creates an archive output.
    public init(stat: PathStat, tar: AsyncThrowingStream<[UInt8], any Error>) {
        self.stat = stat
        self.tar = tar
    }
}
