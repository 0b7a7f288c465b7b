/// What `POST /build` asks for (the legacy builder's query).
public struct BuildRequest: Sendable, Equatable {
    /// `t`: the names to tag the result with (`x`, `x:1`), several allowed.
    public var tags: [String] = []
    /// `dockerfile`: the Dockerfile's path in the context.
    public var dockerfile: String = "Dockerfile"
    /// `buildargs`: `--build-arg` values; a nil value takes the client's environment (resolved by the client).
    public var buildArgs: [String: String] = [:]
    /// `target`: the stage to stop at.
    public var target: String?
    /// `nocache`: run every step.
    public var noCache: Bool = false
    /// `q`: print only the image id.
    public var quiet: Bool = false
    /// `labels`: labels added to the final image.
    public var labels: [String: String] = [:]
    /// `networkmode`: the network RUN steps use (`default`, `host`, `none`, a network name).
    public var networkMode: String = "default"
    /// `rm`: remove intermediate containers after a successful step (default true).
    public var remove: Bool = true
    /// `forcerm`: remove them after a failed step too.
    public var forceRemove: Bool = false

    /// Creates a default request.
    public init() {}
}
