/// What reading a whole layer found: the digest of its uncompressed tar (its diff id) and that tar's size.
public struct LayerSummary: Hashable, Sendable {
    /// The sha256 of the uncompressed tar.
    public let diffID: Digest
    /// The uncompressed tar's size in bytes (what docker reports as the layer's size).
    public let size: Int64
}
