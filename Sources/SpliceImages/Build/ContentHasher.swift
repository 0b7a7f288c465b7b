import Crypto

/// A sha256 over what a build step reads (the cache key's content part), for callers without Crypto.
public struct ContentHasher {
    private var hasher = SHA256()

    /// Creates an empty hasher.
    public init() {}

    /// Adds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// Adds a string (with a separator so that concatenations differ).
    public mutating func update(_ text: String) { hasher.update(data: Array((text + "\u{0}").utf8)) }

    /// The hex digest.
    public func finish() -> String { Digest(finishing: hasher).hex }
}
