import Foundation
import Glibc
import SystemKit
import Testing
import TestSupport

/// The underlay of the cluster suites (overlay, routed): a namespace holding bridge `ul` (10.211.0.0/24), and
/// etcd's namespace plugged into it at 10.211.0.100. `tag` keeps the namespaces of two suites apart; hosts are
/// DaemonLabs named `hostPrefix` + their number.
final class ClusterUnderlay {
    let name: String
    let etcdNamespace: String
    let hostPrefix: String
    /// The router of hosts behind one (`hostBehindRouter`): 10.211.0.254 on the underlay, 10.212.0.254 beyond.
    let routerNamespace: String
    private var routerMade = false
    private(set) var etcd: EtcdServer?

    init(tag: String = "", hostPrefix: String = "ov") throws {
        name = "sp\(tag)u\(getpid())"
        etcdNamespace = "sp\(tag)e\(getpid())"
        routerNamespace = "sp\(tag)r\(getpid())"
        self.hostPrefix = hostPrefix
        do {
            _ = try NetworkNamespace.create(named: name)
            _ = try NetworkNamespace.create(named: etcdNamespace)
            try run("ip", ["-n", name, "link", "add", "ul", "type", "bridge"])
            try run("ip", ["-n", name, "link", "set", "ul", "up"])
            try plug(etcdNamespace, port: "pe", address: "10.211.0.100/24")
            etcd = try EtcdServer(tag: hostPrefix == "ov" ? "overlay" : hostPrefix, host: "10.211.0.100",
                                  namespace: etcdNamespace, clientPort: 2379)
        } catch {
            remove()
            throw error
        }
    }

    /// Plugs namespace `host` into the underlay as `eth0` with `address`.
    func plug(_ host: String, port: String, address: String) throws {
        try run("ip", ["-n", name, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host])
        try run("ip", ["-n", name, "link", "set", port, "master", "ul", "up"])
        try run("ip", ["-n", host, "addr", "add", address, "dev", "eth0"])
        try run("ip", ["-n", host, "link", "set", "eth0", "up"])
        try run("ip", ["-n", host, "link", "set", "lo", "up"])
    }

    /// A host: a `spliced` in its own namespace on the underlay at 10.211.0.N.
    func host(_ number: Int, extra: [String] = []) throws -> DaemonLab {
        try DaemonLab("\(hostPrefix)\(number)", daemonArguments: Self.clusterArguments + extra) { ns in
            try self.plug(ns, port: "p\(number)", address: "10.211.0.\(number)/24")
        }
    }

    static let clusterArguments = ["--cluster-store", "etcd://10.211.0.100:2379", "--cluster-advertise", "eth0",
                                   "--cluster-store-opt", "lease.ttl=4"]

    /// A host behind a router (one per underlay): at 10.212.0.N on a link of its own, reaching the underlay and
    /// etcd through 10.212.0.254, so its advertised address is not on-link for the hosts on the underlay.
    func hostBehindRouter(_ number: Int) throws -> DaemonLab {
        if !routerMade {
            _ = try NetworkNamespace.create(named: routerNamespace)
            routerMade = true
            try plug(routerNamespace, port: "pr", address: "10.211.0.254/24")
            try run("/usr/bin/nsenter", ["--net=/run/netns/\(routerNamespace)", "sysctl", "-qw",
                                         "net.ipv4.ip_forward=1"])
            try run("ip", ["-n", etcdNamespace, "route", "add", "10.212.0.0/24", "via", "10.211.0.254"])
        }
        return try DaemonLab("\(hostPrefix)\(number)", daemonArguments: Self.clusterArguments) { ns in
            let leg = "r\(number)"
            try run("ip", ["-n", self.routerNamespace, "link", "add", leg, "type", "veth", "peer", "name", "eth0",
                           "netns", ns])
            try run("ip", ["-n", self.routerNamespace, "addr", "add", "10.212.0.254/24", "dev", leg])
            try run("ip", ["-n", self.routerNamespace, "link", "set", leg, "up"])
            try run("ip", ["-n", ns, "addr", "add", "10.212.0.\(number)/24", "dev", "eth0"])
            try run("ip", ["-n", ns, "link", "set", "eth0", "up"])
            try run("ip", ["-n", ns, "link", "set", "lo", "up"])
            try run("ip", ["-n", ns, "route", "add", "default", "via", "10.212.0.254"])
        }
    }

    /// Revokes the lease of the host advertising `address`, through etcd's JSON gateway: what a keep-alive that
    /// comes too late does (the host's record and its endpoints leave the store; the host joins again).
    func revokeLease(ofHostAt address: String) throws {
        func post(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            let output = try run("/usr/bin/nsenter", ["--net=/run/netns/\(etcdNamespace)", "curl", "-s", "-m", "5",
                                                      "-X", "POST", "http://10.211.0.100:2379" + path, "-d", json])
            return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        }
        let prefix = "/splice/v1/hosts/"
        let end = "/splice/v1/hosts0"
        let range = try post("/v3/kv/range", ["key": Data(prefix.utf8).base64EncodedString(),
                                              "range_end": Data(end.utf8).base64EncodedString()])
        let records = try #require(range["kvs"] as? [[String: Any]])
        let record = try #require(records.first { record in
            let value = (record["value"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
            return String(decoding: value, as: UTF8.self).contains("\"\(address)\"")
        }, "a host record for \(address) in \(records)")
        let lease = try #require(record["lease"] as? String, "the host record's lease")
        _ = try post("/v3/lease/revoke", ["ID": lease])
    }

    func remove() {
        etcd?.stop()
        etcd = nil
        try? NetworkNamespace.delete(named: etcdNamespace)
        if routerMade { try? NetworkNamespace.delete(named: routerNamespace) }
        try? NetworkNamespace.delete(named: name)
    }

    deinit { remove() }
}
