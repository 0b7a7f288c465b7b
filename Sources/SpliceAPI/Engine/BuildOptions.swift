/// Query of `POST /build` (the legacy builder); the body is the context tar.
public struct BuildOptions: Sendable, Equatable {
    /// `t`, repeated: names for the result.
    public var tags: [String] = []
    /// `dockerfile`: the Dockerfile's path in the context (default `Dockerfile`).
    public var dockerfile: String = "Dockerfile"
    /// `buildargs`: a JSON object of `--build-arg` values.
    public var buildArgs: [String: String] = [:]
    /// `target`: the stage to stop at.
    public var target: String?
    /// `nocache`.
    public var noCache: Bool = false
    /// `q`: only the image id.
    public var quiet: Bool = false
    /// `labels`: a JSON object of labels for the result.
    public var labels: [String: String] = [:]
    /// `networkmode`: the network of RUN steps.
    public var networkMode: String = "default"
    /// `rm` (default true).
    public var remove: Bool = true
    /// `forcerm`.
    public var forceRemove: Bool = false

    /// Creates default options.
    public init() {}
}
