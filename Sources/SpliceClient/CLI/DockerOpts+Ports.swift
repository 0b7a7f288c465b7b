#if canImport(Glibc)
import Glibc
#endif

extension DockerOpts {
    /// One `-p` mapping as the API carries it: the `port/proto` key and its host binding.
    public struct PortMapping: Equatable, Sendable {
        /// `80/tcp`.
        public var key: String
        /// The host address, empty for every interface.
        public var hostIP: String
        /// The host port or range, empty for a dynamic one.
        public var hostPort: String
    }

    /// go-connections' `nat.ParsePortSpec` (`-p`): `[ip:][hostPort:]containerPort[/proto]`, each port a number or a
    /// range, an IPv6 ip in brackets (`[::1]:8080:80`); a container range maps port by port, one container port
    /// with a host range takes any port of it.
    public static func portMappings(_ spec: String) throws(Failure) -> [PortMapping] {
        var ip = "", hostPort = "", containerPort = ""
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let count = parts.count
        containerPort = parts[count - 1]
        switch count {
        case 1: break
        case 2: hostPort = parts[0]
        case 3: (ip, hostPort) = (parts[0], parts[1])
        default: (ip, hostPort) = (parts[..<(count - 2)].joined(separator: ":"), parts[count - 2])
        }
        var proto = "tcp"
        if let slash = containerPort.firstIndex(of: "/") {
            proto = String(containerPort[containerPort.index(after: slash)...])
            containerPort = String(containerPort[..<slash])
        }
        if ip.hasPrefix("[") {
            guard ip.hasSuffix("]"), ip.count > 2 else { throw Failure("invalid IP address: \(ip)") }
            ip = String(ip.dropFirst().dropLast())
        }
        if !ip.isEmpty, !isIPAddress(ip) { throw Failure("invalid IP address: \(ip)") }
        guard !containerPort.isEmpty else { throw Failure("no port specified: \(spec)<empty>") }
        guard let container = portRange(containerPort) else { throw Failure("invalid containerPort: \(containerPort)") }
        var host: ClosedRange<Int>?
        if !hostPort.isEmpty {
            guard let range = portRange(hostPort) else { throw Failure("invalid hostPort: \(hostPort)") }
            host = range
        }
        if let host, host.count != container.count, container.count != 1 {
            throw Failure("invalid ranges specified for container and host Ports: \(containerPort) and \(hostPort)")
        }
        guard ["tcp", "udp", "sctp"].contains(proto.lowercased()) else { throw Failure("invalid proto: \(proto)") }
        return container.enumerated().map { offset, port in
            var binding = ""
            if let host {
                binding = container.count == 1 && host.count > 1
                    ? "\(host.lowerBound)-\(host.upperBound)" : "\(host.lowerBound + offset)"
            }
            return PortMapping(key: "\(port)/\(proto.lowercased())", hostIP: ip, hostPort: binding)
        }
    }

    /// go-connections' `nat.ParsePortRange`: `80` or `8000-8100`, each 0…65535; nil when it does not parse.
    public static func portRange(_ text: String) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for bound in bounds {
            guard !bound.isEmpty, bound.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(bound) else {
                return nil
            }
            numbers.append(Int(port))
        }
        guard let low = numbers.first, let high = numbers.last, low <= high else { return nil }
        return low...high
    }
}
