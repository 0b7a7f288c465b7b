import SpliceNet
import SystemKit

/// Where each record lives in etcd. Everything is under `/splice/v1/`, so one prefix watch sees every change.
public enum ClusterKeys {
    /// The root of all of Splice's keys.
    public static let root = "/splice/v1/"
    /// Hosts, each under its lease.
    public static let hosts = root + "hosts/"
    /// Global networks by id.
    public static let networks = root + "networks/"
    /// Network names, each holding its network's id (created only if absent: names are unique).
    public static let networkNames = root + "network-names/"
    /// VNIs in use, each holding its network's id.
    public static let vnis = root + "vnis/"
    /// Endpoints, by network then endpoint id.
    public static let endpoints = root + "endpoints/"
    /// Address allocations, by network then address.
    public static let addresses = root + "addresses/"
    /// Per-host subnets of routed networks, by network then subnet, each under its host's lease.
    public static let hostSubnets = root + "host-subnets/"

    /// The key of one host.
    public static func host(_ name: String) -> String { hosts + name }
    /// The key of one network.
    public static func network(_ id: String) -> String { networks + id }
    /// The key reserving a network name.
    public static func networkName(_ name: String) -> String { networkNames + name }
    /// The key reserving a VNI.
    public static func vni(_ vni: UInt32) -> String { vnis + String(vni) }
    /// The prefix of one network's endpoints.
    public static func endpoints(of network: String) -> String { endpoints + network + "/" }
    /// The key of one endpoint.
    public static func endpoint(_ id: String, of network: String) -> String { endpoints(of: network) + id }
    /// The prefix of one network's allocations.
    public static func addresses(of network: String) -> String { addresses + network + "/" }
    /// The key of one allocated address.
    public static func address(_ address: IPv4Address, of network: String) -> String {
        addresses(of: network) + address.description
    }
    /// The prefix of one routed network's host subnets.
    public static func hostSubnets(of network: String) -> String { hostSubnets + network + "/" }
    /// The key of one host subnet (`…/10.220.1.0-24`).
    public static func hostSubnet(_ subnet: IPNetwork, of network: String) -> String {
        hostSubnets(of: network) + subnet.address.description + "-" + String(subnet.prefixLength)
    }
}
