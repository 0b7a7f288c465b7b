/// One progress step of a pull or push, which the daemon turns into Docker's JSON progress messages.
public enum TransferEvent: Hashable, Sendable {
    /// A line of its own: `Pulling from library/bb` (with `id` the tag), `Digest: sha256:…`.
    case status(String, id: String?)
    /// A layer's state: `Pulling fs layer`, `Download complete`, `Pull complete`, `Pushed`, …
    case layer(String, id: String)
    /// A layer's byte progress: `Downloading`, `Extracting`, `Pushing`.
    case progress(String, id: String, current: Int64, total: Int64?)
    /// A push's result: the tag, the manifest digest and its size.
    case pushed(tag: String, digest: Digest, size: Int)
}

/// Runs blocking work (layer extraction) off the cooperative threads; the daemon passes its `BlockingWork.run`.
public typealias BlockingRunner = @Sendable (@escaping @Sendable () throws -> Void) async throws -> Void
