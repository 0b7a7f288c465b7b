import Logging

/// Where the engine keeps its state and what it runs containers with.
public struct EngineConfiguration: Sendable {
    /// The graph directory (`/var/lib/splice`): `containers/`, `images/`, `network/`.
    public var graph: String
    /// The `splice-init` binary.
    public var initPath: String

    /// The static init mounted into `--init` containers (daemon `--init-path`); nil for `initPath`, which must
    /// then be static too (scripts/setup.sh builds it so).
    public var containerInitPath: String?

    /// Default resolvers for containers (daemon `--dns`); empty for the host's.
    public var dns: [String] = []
    /// Default search domains for containers (daemon `--dns-search`).
    public var dnsSearch: [String] = []
    /// `-b none`: the default network does not exist; its containers get a namespace with loopback only.
    public var defaultBridgeDisabled: Bool = false
    /// What `--add-host NAME:host-gateway` resolves to (`--host-gateway-ip`); nil for the default bridge's gateway.
    public var hostGatewayIP: String?
    /// `--userns-remap`: containers run in a user namespace of their own with these ids; nil for none.
    public var userNamespaceRemap: UserNamespaceRemap?
    /// Where the engine logs failures and what it does by itself (restarts, reconcile); silent by default.
    public var logger = Logger(label: "splice.engine", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates a configuration.
    public init(graph: String, initPath: String) {
        self.graph = graph
        self.initPath = initPath
    }

    /// `<graph>/containers`.
    public var containersDirectory: String { graph + "/containers" }
    /// `<graph>/images`.
    public var imagesDirectory: String { graph + "/images" }
    /// `<graph>/network`.
    public var networkDirectory: String { graph + "/network" }
}
