import Logging

/// How `spliced` was asked to run: dockerd's 1.x daemon flags (see `DaemonOptions.parse`).
public struct DaemonOptions: Sendable {
    /// The unix sockets (`-H unix:///path`, repeatable); `/run/splice.sock` when no `-H` is given.
    public var socketPaths: [String] = ["/run/splice.sock"]
    /// TCP listeners `host:port` (`-H tcp://host:port`, repeatable).
    public var tcpAddresses: [String] = []
    /// The graph directory (`-g`/`--graph`).
    public var graph: String = "/var/lib/splice"
    /// The default network's bridge device (`-b`/`--bridge`); nil for `splice0`.
    public var bridge: String?
    /// `-b none`: no default bridge network; containers of the default network get only loopback, as in dockerd.
    public var bridgeDisabled: Bool = false
    /// The address `--add-host NAME:host-gateway` resolves to (`--host-gateway-ip`); nil for the bridge's.
    public var hostGatewayIP: String?
    /// `--userns-remap`: `default` (the user `dockremap`, created if missing) or `USER[:GROUP]`; nil for none.
    public var usernsRemap: String?
    /// The default bridge's address and prefix (`--bip`); nil for `172.18.0.1/16` (or the `-b` bridge's own).
    public var bridgeAddress: String?
    /// Where container addresses of the default network come from (`--fixed-cidr`), inside the bridge's subnet.
    public var fixedCIDR: String?
    /// IPv6 on the default network (`--ipv6`), with its subnet from `--fixed-cidr-v6`.
    public var ipv6: Bool = false
    /// The default network's IPv6 subnet (`--fixed-cidr-v6`), used with `--ipv6`.
    public var fixedCIDRv6: String?
    /// Inter-container communication on the default network (`--icc`).
    public var interContainer: Bool = true
    /// The host address published ports bind to when `-p` names none (`--ip`).
    public var defaultHostIP: String = "0.0.0.0"
    /// Turn on `net.ipv4.ip_forward` (`--ip-forward`).
    public var ipForward: Bool = true
    /// Masquerade the default network's traffic (`--ip-masq`); off when `--iptables=false`.
    public var ipMasquerade: Bool = true
    /// Install nftables rules (`--iptables`).
    public var firewall: Bool = true
    /// The default network's MTU (`--mtu`); nil for 1500.
    public var mtu: UInt32?
    /// Default resolvers of containers (`--dns`, repeatable).
    public var dns: [String] = []
    /// Default DNS search domains of containers (`--dns-search`, repeatable).
    public var dnsSearch: [String] = []
    /// Group of the unix sockets (`-G`/`--group`); empty keeps root's.
    public var socketGroup: String = "splice"
    /// Whether `-G` was given: a missing group is then an error rather than a warning.
    public var socketGroupExplicit: Bool = false
    /// The pid file (`-p`/`--pidfile`).
    public var pidFile: String?
    /// Debug output (`-D`/`--debug`); it also sets `logLevel` to debug.
    public var debug: Bool = false
    /// The lowest level `spliced` logs (`-l`/`--log-level`; `-D` makes it debug).
    public var logLevel: Logger.Level = .info
    /// Remount the host's cgroup2 hierarchy with `favordynmods` at start (`--cgroup-favordynmods`, default true): a
    /// container start then waits for no RCU grace period when it moves pid 1 into its cgroups.
    public var cgroupFavorDynmods: Bool = true
    /// Registry mirrors (`--registry-mirror`, repeatable), shown in `/info`.
    public var registryMirrors: [String] = []
    /// Registries reached without TLS (`--insecure-registry`, repeatable), shown in `/info`.
    public var insecureRegistries: [String] = []
    /// `--selinux-enabled` (accepted, not supported: it only warns).
    public var selinuxEnabled: Bool = false
    /// Storage driver (`-s`/`--storage-driver`): `overlay` or `overlay2`.
    public var storageDriver: String = "overlay"
    /// Exec driver (`-e`/`--exec-driver`): `native` only.
    public var execDriver: String = "native"
    /// Exec driver options (`--exec-opt native.key=value`, repeatable).
    public var execOptions: [String] = []
    /// The user passed `--tls=false` or `--tlsverify=false` explicitly: plain TCP on a non-loopback address is
    /// then accepted (with dockerd's warning) instead of refused.
    public var plainTCPAccepted: Bool = false
    /// Serve TLS on the TCP listeners (`--tls`, implied by `--tlsverify`).
    public var tls: Bool = false
    /// Require client certificates signed by `tlsCACert` (`--tlsverify`).
    public var tlsVerify: Bool = false
    /// CA certificate (`--tlscacert`), default `~/.docker/ca.pem`.
    public var tlsCACert: String = DaemonOptions.defaultCertPath("ca.pem")
    /// Server certificate (`--tlscert`), default `~/.docker/cert.pem`.
    public var tlsCert: String = DaemonOptions.defaultCertPath("cert.pem")
    /// Server key (`--tlskey`), default `~/.docker/key.pem`.
    public var tlsKey: String = DaemonOptions.defaultCertPath("key.pem")
    /// The `splice-init` binary; nil looks beside the running executable.
    public var initPath: String?
    /// The static init mounted into `--init` containers (`--init-path`, dockerd's flag); nil for `initPath`.
    public var containerInitPath: String?
    /// The cluster store of global networks (`--cluster-store etcd://HOST:2379[,HOST:2379]`); nil for none.
    public var clusterStore: String?
    /// This host's tunnel endpoint (`--cluster-advertise IP|IFACE[:PORT]`); the port is accepted and ignored.
    public var clusterAdvertise: String?
    /// The TTL in seconds of this host's lease in the cluster store (`--cluster-store-opt lease.ttl=N`).
    public var clusterLeaseTTL: Int64 = 15
    /// Warnings found while parsing (printed by `spliced` before it starts).
    public var warnings: [String] = []

    /// Default options.
    public init() {}

    /// The unix socket path (the first `-H unix://`), or "" when only TCP was asked for.
    public var socketPath: String { socketPaths.first ?? "" }

    /// The first TCP listener, if any.
    public var tcpAddress: String? { tcpAddresses.first }

    /// `$DOCKER_CERT_PATH/<name>`, else `$HOME/.docker/<name>`, as dockerd's defaults.
    public static func defaultCertPath(_ name: String, environment: [String: String] = certificateEnvironment())
        -> String
    {
        if let directory = environment["DOCKER_CERT_PATH"], !directory.isEmpty { return directory + "/" + name }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        return home + "/.docker/" + name
    }
}
