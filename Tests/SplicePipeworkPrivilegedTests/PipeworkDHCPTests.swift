import Foundation
import Glibc
import TestSupport
import Testing

/// pipework's DHCP forms against a real DHCP server (busybox udhcpd) running in a guest on the same bridge.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"), "needs busybox-static for udhcpd"))
struct PipeworkDHCPTests {
    /// A lab whose bridge `brd` has a DHCP server guest at 192.168.88.1 handing out .100–.150.
    private func labWithServer(_ tag: String) throws -> (PipeworkLab, server: String, directory: String) {
        let lab = try PipeworkLab(tag)
        let server = try lab.guest("srv")
        try lab.attach(["brd", server, "192.168.88.1/24"])
        let directory = NSTemporaryDirectory() + "splice-udhcpd-\(getpid())-\(tag)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            start 192.168.88.100
            end 192.168.88.150
            interface eth1
            lease_file \(directory)/leases
            pidfile \(directory)/pid
            option subnet 255.255.255.0
            option router 192.168.88.1
            option dns 192.168.88.1
            option lease 60
            """
        try config.write(toFile: directory + "/udhcpd.conf", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: directory + "/leases", contents: nil)
        _ = try lab.spawn("/usr/sbin/ip", ["netns", "exec", server, "/bin/busybox", "udhcpd", "-f",
                                           directory + "/udhcpd.conf"])
        usleep(200_000)
        return (lab, server, directory)
    }

    private func ipv4(of namespace: String, in lab: PipeworkLab) throws -> String? {
        let info = try lab.ip(namespace, ["-4", "addr", "show", "eth1"]).first?["addr_info"] as? [[String: Any]]
        return info?.first?["local"] as? String
    }

    @Test(arguments: ["dhcp", "udhcpc", "dhclient", "dhcpcd", "udhcpc:-x hostname:client -T 5"])
    func leaseFromTheServerAndAPing(form: String) throws {
        let (lab, _, directory) = try labWithServer("dhcp\(abs(form.hashValue) % 1000)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try lab.guest("cli")
        let resolvBefore = try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)
        try lab.attach(["brd", client, form])
        let address = try #require(try ipv4(of: client, in: lab))
        let last = Int(address.split(separator: ".").last ?? "") ?? 0
        #expect((100...150).contains(last))
        #expect(try lab.ip(client, ["route", "show", "default"]).first?["gateway"] as? String == "192.168.88.1")
        #expect(try lab.ping(from: client, "192.168.88.1"))
        #expect((try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) == resolvBefore)
    }

    @Test func foregroundFormKeepsRunningAndHoldsTheLease() throws {
        let (lab, _, directory) = try labWithServer("dhcpf")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try lab.guest("cli")
        let process = try lab.spawn("/usr/bin/nsenter", ["--net=/run/netns/\(lab.host)", PipeworkLab.binary, "brd",
                                                         client, "udhcpc-f"])
        var address: String?
        for _ in 0..<50 where address == nil {
            usleep(100_000)
            address = try? ipv4(of: client, in: lab)
        }
        #expect(address != nil)
        #expect(process.isRunning)
    }

    @Test func noServerTimesOutAndLeavesNothing() throws {
        let lab = try PipeworkLab("dhcpnone")
        let client = try lab.guest("cli")
        let before = try lab.snapshot(lab.host)
        let result = try lab.pipework(["brq", client, "dhcp:-T 2"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("DHCP"), Comment(rawValue: result.stderr))
        #expect(try lab.snapshot(lab.host) == before)
        #expect(try !lab.hasInterface(client, "eth1"))
    }
}
