import SystemKit

/// A network sandbox: the network namespace a container (or any process) lives in, with Splice's id for it.
public struct Sandbox: Sendable {
    /// Splice's id for the sandbox (a container id, or any unique word).
    public let id: String
    /// The namespace itself.
    public let namespace: NetworkNamespace
    /// How it was made.
    public let mode: SandboxMode
}

/// Docker's `--net` modes, as sandbox operations.
public enum SandboxMode: Sendable, Equatable {
    /// A new namespace, connected to a bridge network.
    case bridge(network: String)
    /// The host's own namespace: no isolation, no interfaces of its own.
    case host
    /// A new namespace with only `lo`, up.
    case none
    /// Another sandbox's namespace, shared.
    case container(String)

    /// Parses `--net` values: `bridge`, `host`, `none`, `container:NAME`, or a network name.
    public init(parsing text: String, defaultNetwork: String = BridgeNetworkOptions.defaultName) throws(NetworkError) {
        switch text {
        case "bridge", "default", "": self = .bridge(network: defaultNetwork)
        case "host": self = .host
        case "none": self = .none
        default:
            if text.hasPrefix("container:") {
                let target = String(text.dropFirst("container:".count))
                guard !target.isEmpty else {
                    throw NetworkError(.invalidArgument, "--net=container: needs a container name or id")
                }
                self = .container(target)
            } else {
                self = .bridge(network: text)
            }
        }
    }
}
