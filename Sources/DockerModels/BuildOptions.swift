/// Query of `POST /build` (the legacy builder); the body is the context tar. The API decodes it and the engine's
/// builder runs it.
public struct BuildOptions: Sendable, Equatable {
    /// `t`, repeated: the names to tag the result with (`x`, `x:1`).
    public var tags: [String] = []
    /// `dockerfile`: the Dockerfile's path in the context (default `Dockerfile`).
    public var dockerfile: String = "Dockerfile"
    /// `buildargs`: a JSON object of `--build-arg` values (a value the client left out is resolved by the client).
    public var buildArgs: [String: String] = [:]
    /// `target`: the stage to stop at.
    public var target: String?
    /// `nocache`: run every step.
    public var noCache: Bool = false
    /// `q`: print only the image id.
    public var quiet: Bool = false
    /// `labels`: a JSON object of labels added to the final image.
    public var labels: [String: String] = [:]
    /// `networkmode`: the network RUN steps use (`default`, `host`, `none`, a network name).
    public var networkMode: String = "default"
    /// `rm`: remove intermediate containers after a successful step (default true).
    public var remove: Bool = true
    /// `forcerm`: remove them after a failed step too.
    public var forceRemove: Bool = false
    /// `remote`: a URL the daemon fetches the context from (a tar, a Dockerfile or a Git repository) instead of the
    /// request body.
    public var remoteContext: String?

    /// Creates default options.
    public init() {}
}
