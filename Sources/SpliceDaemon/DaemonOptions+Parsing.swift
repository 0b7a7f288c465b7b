import Glibc
import Logging
import NetlinkKit
import SpliceCluster
import SpliceEngine

extension DaemonOptions {
    /// The flags `spliced` knows: names (single or double dash) and whether the flag is a boolean.
    private enum Flag: String, CaseIterable {
        case host, graph, bridge, bip, fixedCIDR = "fixed-cidr", icc, ip, ipForward = "ip-forward"
        case ipMasq = "ip-masq", iptables, mtu, dns, dnsSearch = "dns-search", group, pidfile, debug, daemon
        case registryMirror = "registry-mirror", insecureRegistry = "insecure-registry"
        case selinuxEnabled = "selinux-enabled", storageDriver = "storage-driver", execDriver = "exec-driver"
        case execOpt = "exec-opt", tls, tlsverify, tlscacert, tlscert, tlskey, help, logLevel = "log-level"
        case hostGatewayIP = "host-gateway-ip"
        case usernsRemap = "userns-remap"
        case initPath = "init-path"
        case cgroupFavorDynmods = "cgroup-favordynmods"
        case clusterStore = "cluster-store", clusterAdvertise = "cluster-advertise"
        case clusterStoreOpt = "cluster-store-opt"
        case ipv6, fixedCIDRv6 = "fixed-cidr-v6"

        /// dockerd's one-letter aliases.
        static let short: [String: Flag] = [
            "H": .host, "g": .graph, "b": .bridge, "G": .group, "p": .pidfile, "D": .debug, "d": .daemon,
            "s": .storageDriver, "e": .execDriver, "h": .help, "l": .logLevel,
        ]

        var isBoolean: Bool {
            switch self {
            case .icc, .ipForward, .ipMasq, .iptables, .debug, .daemon, .selinuxEnabled, .tls, .tlsverify, .help,
                 .cgroupFavorDynmods, .ipv6:
                return true
            default:
                return false
            }
        }
    }

    /// Parses dockerd-style arguments (`-g /x`, `--graph=/x`, `--icc=false`, repeatable `-H`), applies Docker's
    /// rules (`--tlsverify` implies `--tls`; `-b` and `--bip` exclude each other; `--icc=false` needs
    /// `--iptables`) and validates every value. Throws `DaemonError` with Docker's wording; `-h` throws `.help`.
    public static func parse(_ arguments: [String], environment: [String: String] = certificateEnvironment())
        throws(DaemonError) -> DaemonOptions
    {
        var options = DaemonOptions()
        options.tlsCACert = defaultCertPath("ca.pem", environment: environment)
        options.tlsCert = defaultCertPath("cert.pem", environment: environment)
        options.tlsKey = defaultCertPath("key.pem", environment: environment)
        var hosts: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-"), argument.count > 1 else {
                throw DaemonError("spliced takes no arguments, got \"\(argument)\" (see spliced --help)")
            }
            if argument == "--" { throw DaemonError("spliced takes no arguments after --") }
            let body = argument.hasPrefix("--") ? String(argument.dropFirst(2)) : String(argument.dropFirst())
            let name: String
            var inline: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inline = String(body[body.index(after: equals)...])
            } else {
                name = body
            }
            guard let flag = Flag.short[name] ?? (name.count > 1 ? Flag(rawValue: name) : nil) else {
                throw DaemonError("flag provided but not defined: \(argument.split(separator: "=")[0])")
            }
            let display = (Flag.short[name] != nil ? "-" : "--") + name
            let value: String
            if flag.isBoolean {
                value = inline ?? "true"
            } else if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw DaemonError("flag needs an argument: \(display)") }
                value = arguments[index]
                index += 1
            }
            try options.apply(flag, value: value, display: display, hosts: &hosts)
        }
        if !hosts.isEmpty {
            options.socketPaths = []
            for host in hosts { try options.addHost(host) }
        }
        try options.validate()
        return options
    }

    private mutating func apply(_ flag: Flag, value: String, display: String, hosts: inout [String])
        throws(DaemonError)
    {
        func boolean() throws(DaemonError) -> Bool {
            switch value {
            case "1", "t", "T", "true", "TRUE", "True": return true
            case "0", "f", "F", "false", "FALSE", "False": return false
            default: throw DaemonError("invalid boolean value \"\(value)\" for \(display): parse error")
            }
        }
        func invalid(_ reason: String) -> DaemonError {
            DaemonError("invalid value \"\(value)\" for flag \(display): \(reason)")
        }
        switch flag {
        case .help: throw DaemonError.help
        case .daemon: _ = try boolean()
        case .host: hosts.append(value)
        case .graph:
            guard !value.isEmpty else { throw invalid("the graph directory cannot be empty") }
            graph = value.hasPrefix("/") ? value : Self.currentDirectory() + "/" + value
            while graph.count > 1, graph.hasSuffix("/") { graph.removeLast() }
        case .bridge:
            guard InterfaceName.problem(with: value) == nil else {
                throw invalid("not an interface name (1 to 15 bytes, no '/' or space)")
            }
            if value == "none" {
                bridgeDisabled = true
            } else {
                bridge = value
            }
        case .bip:
            guard let network = IPNetwork(value), case .v4 = network.address, network.prefixLength < 31 else {
                throw invalid("expected an IPv4 address with a prefix, such as 172.18.0.1/16")
            }
            bridgeAddress = network.description
        case .fixedCIDR:
            guard let network = IPNetwork(value), case .v4 = network.address else {
                throw invalid("expected an IPv4 network, such as 172.18.5.0/24")
            }
            fixedCIDR = network.description
        case .ipv6: ipv6 = try boolean()
        case .fixedCIDRv6:
            guard let network = IPNetwork(value), case .v6 = network.address, network.prefixLength <= 126 else {
                throw invalid("expected an IPv6 network, such as fd00:1::/64")
            }
            fixedCIDRv6 = network.description
        case .icc: interContainer = try boolean()
        case .ip:
            guard IPAddress(value) != nil else { throw invalid("\(value) is not an ip address") }
            defaultHostIP = value
        case .ipForward: ipForward = try boolean()
        case .ipMasq: ipMasquerade = try boolean()
        case .iptables: firewall = try boolean()
        case .mtu:
            guard let number = Int(value), (68...65535).contains(number) else {
                throw invalid("the MTU must be a number from 68 to 65535")
            }
            mtu = UInt32(number)
        case .dns:
            guard IPAddress(value) != nil else { throw invalid("\(value) is not an ip address") }
            dns.append(value)
        case .hostGatewayIP:
            guard IPAddress(value) != nil else { throw invalid("\(value) is not an ip address") }
            hostGatewayIP = value
        case .usernsRemap:
            do { _ = try UserNamespaceRemap.parseSetting(value) } catch { throw DaemonError(error.message) }
            usernsRemap = value
        case .dnsSearch:
            guard Self.isDomain(value) else { throw invalid("\(value) is not a valid domain") }
            dnsSearch.append(value)
        case .group:
            socketGroup = value
            socketGroupExplicit = true
        case .pidfile:
            guard !value.isEmpty else { throw invalid("the pid file path cannot be empty") }
            pidFile = value
        case .debug: debug = try boolean()
        case .clusterStore:
            do { _ = try EtcdEndpoints(parsing: value) } catch {
                if case .invalidStoreURL(_, let reason) = error { throw invalid(reason) }
                throw invalid(error.description)
            }
            clusterStore = value
        case .clusterAdvertise:
            guard !value.isEmpty, !value.contains("/") else {
                throw invalid("expected IP, IFACE, IP:PORT or IFACE:PORT")
            }
            clusterAdvertise = value
        case .clusterStoreOpt:
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "lease.ttl", let ttl = Int64(parts[1].hasSuffix("s")
                ? String(parts[1].dropLast()) : parts[1]), (2...3600).contains(ttl)
            else {
                throw invalid("the only option is lease.ttl=SECONDS (2 to 3600)")
            }
            clusterLeaseTTL = ttl
        case .initPath:
            guard value.hasPrefix("/") else { throw invalid("the init path must be absolute") }
            containerInitPath = value
        case .logLevel:
            guard let level = Self.logLevel(named: value) else {
                throw DaemonError("unable to parse logging level: \(value)")
            }
            logLevel = level
        case .registryMirror:
            let lower = value.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw invalid("Unsupported scheme: a mirror is an http:// or https:// URL")
            }
            let afterScheme = value.drop { $0 != "/" }.dropFirst(2)
            let host = afterScheme.prefix { $0 != "/" }
            let path = afterScheme.dropFirst(host.count)
            guard !host.isEmpty, path.isEmpty || path == "/" else { throw invalid("a mirror URL has no path") }
            registryMirrors.append(value.hasSuffix("/") ? String(value.dropLast()) : value)
        case .insecureRegistry:
            guard !value.isEmpty, !value.contains("://") else {
                throw invalid("insecure registry \(value) should not contain '://'")
            }
            insecureRegistries.append(value)
        case .selinuxEnabled: selinuxEnabled = try boolean()
        case .cgroupFavorDynmods: cgroupFavorDynmods = try boolean()
        case .storageDriver:
            guard value == "overlay" || value == "overlay2" else {
                throw DaemonError("storage driver \"\(value)\" is not supported: Splice stores containers on overlayfs"
                    + " (-s overlay or -s overlay2)")
            }
            storageDriver = value
        case .execDriver:
            guard value == "native" else {
                throw DaemonError("exec driver \"\(value)\" is not supported: Splice has only the native driver")
            }
            execDriver = value
        case .execOpt:
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw DaemonError("Unable to parse key/value option: \(value)")
            }
            let key = value[..<equals]
            guard key.hasPrefix("native."), key.count > "native.".count else {
                throw DaemonError("exec-opt \(value): only native.* options apply (native is the only exec driver)")
            }
            if key == "native.cgroupdriver", value[value.index(after: equals)...] != "cgroupfs" {
                throw DaemonError("exec-opt \(value): Splice drives cgroups through cgroupfs only")
            }
            execOptions.append(value)
        case .tls:
            tls = try boolean()
            if !tls { plainTCPAccepted = true }
        case .tlsverify:
            tlsVerify = try boolean()
            if !tlsVerify { plainTCPAccepted = true }
        case .tlscacert: tlsCACert = value
        case .tlscert: tlsCert = value
        case .tlskey: tlsKey = value
        }
    }

    /// Docker's cross-flag rules and warnings.
    /// dockerd's level names (`warn` and `warning`, `fatal` and `panic`, logrus' spellings).
    static func logLevel(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "debug", "trace": .debug
        case "info": .info
        case "warn", "warning": .warning
        case "error": .error
        case "fatal", "panic": .critical
        default: nil
        }
    }

    private mutating func validate() throws(DaemonError) {
        // dockerd: --debug wins over --log-level.
        if debug { logLevel = .debug }
        if bridge != nil, bridgeAddress != nil {
            throw DaemonError("You specified -b & --bip, mutually exclusive options. Please specify only one.")
        }
        if !firewall, !interContainer {
            throw DaemonError("You specified --iptables=false with --icc=false. ICC uses iptables to function."
                + " Please set --icc or --iptables to true.")
        }
        if !firewall, ipMasquerade {
            ipMasquerade = false
        }
        if let fixedCIDR, let range = IPNetwork(fixedCIDR) {
            let subnet = IPNetwork(bridgeAddress ?? "172.18.0.1/16")
            if let subnet, bridge == nil,
               !(subnet.contains(range.address) && range.prefixLength >= subnet.prefixLength) {
                throw DaemonError("--fixed-cidr \(fixedCIDR) is not inside the bridge network \(subnet)")
            }
        }
        if clusterAdvertise != nil, clusterStore == nil {
            throw DaemonError("invalid cluster configuration. --cluster-advertise must be accompanied by"
                + " --cluster-store configuration")
        }
        if clusterStore != nil, clusterAdvertise == nil {
            throw DaemonError("--cluster-store needs --cluster-advertise IP|IFACE: the address other hosts send this"
                + " host's overlay traffic to")
        }
        if ipv6, fixedCIDRv6 == nil {
            throw DaemonError("--ipv6 needs --fixed-cidr-v6 (the default bridge's IPv6 subnet, such as fd00:1::/64):"
                + " Splice has no default IPv6 pool")
        }
        if tlsVerify { tls = true }
        if selinuxEnabled {
            warnings.append("SELinux is not supported by Splice: --selinux-enabled is ignored")
        }
        if !tls, !plainTCPAccepted, let open = tcpAddresses.first(where: { !Self.isLoopback(listener: $0) }) {
            throw DaemonError("-H tcp://\(open): listening on a non-loopback address without TLS gives root on this"
                + " host to anyone who can reach it; use --tlsverify (or --tls), or pass --tls=false explicitly"
                + " to accept that")
        }
        if !tcpAddresses.isEmpty, !tlsVerify {
            warnings.append("/!\\ DON'T BIND ON ANY IP ADDRESS WITHOUT setting --tlsverify IF YOU DON'T KNOW"
                + " WHAT YOU'RE DOING /!\\")
        }
    }

    /// Whether a `host:port` listener binds only to loopback (127.0.0.0/8, ::1 or `localhost`).
    static func isLoopback(listener: String) -> Bool {
        guard let colon = listener.lastIndex(of: ":") else { return false }
        var host = String(listener[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" { return true }
        return host.hasPrefix("127.") && IPAddress(host) != nil
    }

    /// Parses a `-H` value: `unix:///path`, a bare `/path`, or `tcp://host:port` (port default 2375, 2376 with
    /// TLS as dockerd's; empty host 127.0.0.1).
    public mutating func addHost(_ text: String) throws(DaemonError) {
        if text.hasPrefix("unix://") || text.hasPrefix("/") {
            let path = text.hasPrefix("/") ? text : String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else { throw DaemonError("-H \(text): expected unix:///absolute/path") }
            if !socketPaths.contains(path) { socketPaths.append(path) }
        } else if text.hasPrefix("tcp://") {
            var rest = String(text.dropFirst("tcp://".count))
            if rest.hasSuffix("/") { rest.removeLast() }
            var host = rest
            var port = "2375"
            if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
                host = String(rest[..<colon])
                port = String(rest[rest.index(after: colon)...])
            }
            guard let number = Int(port), (0...65535).contains(number) else {
                throw DaemonError("-H \(text): invalid port \"\(port)\"")
            }
            if host.isEmpty { host = "127.0.0.1" }
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            guard IPAddress(bare) != nil || bare == "localhost" else {
                throw DaemonError("-H \(text): \(bare) is not an IP address")
            }
            tcpAddresses.append("\(host):\(number)")
        } else {
            throw DaemonError("-H \(text): expected unix:///path or tcp://host:port")
        }
    }

    /// `--dns-search` rule: letters, digits, '-' and '.', labels of 1 to 63, at most 255 in all; "." alone too.
    static func isDomain(_ text: String) -> Bool {
        if text == "." { return true }
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// `DOCKER_CERT_PATH` and `HOME` of this process, for the TLS file defaults.
    public static func certificateEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        for key in ["DOCKER_CERT_PATH", "HOME"] {
            if let value = getenv(key) { result[key] = String(cString: value) }
        }
        return result
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The help text.
    public static let usage = """
        Usage: spliced [OPTIONS]

        The Splice daemon: the Docker Engine API on a socket (dockerd's 1.x flags).

          -H, --host=[]            unix:///path or tcp://host:port to listen on (repeatable)
          -g, --graph=/var/lib/splice   root of the daemon's state
          -b, --bridge=""          attach containers to this bridge (created if absent)
              --bip=""             the bridge's address/prefix (default 172.18.0.1/16)
              --host-gateway-ip="" the address of --add-host NAME:host-gateway (default: the bridge's)
              --fixed-cidr=""      IPv4 range for container addresses, inside the bridge's subnet
              --ipv6=false         IPv6 on the default bridge, with --fixed-cidr-v6
              --fixed-cidr-v6=""   the default bridge's IPv6 subnet (its gateway is ::1 of it)
              --icc=true           inter-container communication on the default network
              --ip=0.0.0.0         default host address for published ports
              --ip-forward=true    enable net.ipv4.ip_forward
              --ip-masq=true       masquerade the bridge's traffic
              --iptables=true      manage firewall (nftables) rules
              --mtu=0              the bridge's MTU (default 1500)
              --dns=[]             DNS servers for containers (repeatable)
              --dns-search=[]      DNS search domains for containers (repeatable)
          -G, --group=splice       group of the unix sockets
          -p, --pidfile=""         write the daemon's pid here
          -D, --debug=false        debug output (sets --log-level=debug)
          -l, --log-level=info     debug, info, warn, error or fatal
              --registry-mirror=[] registry mirrors (repeatable)
              --insecure-registry=[]  registries reached without TLS (repeatable)
              --selinux-enabled=false accepted; SELinux is not supported
          -s, --storage-driver=overlay  overlay or overlay2
          -e, --exec-driver=native      native only
              --exec-opt=[]        native.* options
              --init-path=""       the static init of --init containers (default: splice-init)
              --userns-remap=""    default (user dockremap, created with a 65536-id range if missing)
                                   or USER[:GROUP]: containers run as its /etc/subuid, /etc/subgid ids
              --cgroup-favordynmods=true  remount cgroup2 with favordynmods (Linux 6.0+), so moving a
                                   container into its cgroups waits for no RCU grace period
              --cluster-store=""   etcd://HOST:2379[,HOST:2379]: the store of global (overlay, routed) networks
              --cluster-advertise="" IP or IFACE[:PORT]: this host's tunnel endpoint (needs --cluster-store)
              --cluster-store-opt=[] lease.ttl=SECONDS (default 15): how soon a dead host leaves the others
              --tls=false          serve TLS on tcp:// listeners; implied by --tlsverify
              --tlsverify=false    require client certificates signed by --tlscacert
              --tlscacert=~/.docker/ca.pem   --tlscert=~/.docker/cert.pem   --tlskey=~/.docker/key.pem
        """
}
