/// A container on a host.
public struct NodeSpec: Sendable {
    /// The node's name (its container name).
    public var name: String
    /// The host it runs on.
    public var host: String
    /// The image.
    public var image: String
    /// The command (argv), or empty for the image's.
    public var cmd: [String] = []
    /// Networks in attach order.
    public var networks: [NodeNetwork] = []
    /// `none`, `host` or `container:NODE`, instead of networks.
    public var networkMode: String?
    /// Published ports in `-p` syntax.
    public var ports: [String] = []
    /// Environment, `KEY=VALUE`.
    public var env: [String] = []
    /// Shell commands run in the node after it starts.
    public var exec: [String] = []
    /// Capabilities added to the container (`--cap-add`).
    public var capAdd: [String] = []
    /// Bind mounts in `-v HOST:CONTAINER[:OPTIONS]` syntax (a relative host path is the lab file's directory's).
    public var binds: [String] = []
    /// Container labels.
    public var labels: [String: String] = [:]
    /// The user the command runs as (`--user`), nil for the image's.
    public var user: String?
    /// The entrypoint (`--entrypoint`), nil for the image's.
    public var entrypoint: String?
    /// Nodes that must be running first.
    public var waitFor: [String] = []
    /// Line in the file.
    public var line: Int
}
