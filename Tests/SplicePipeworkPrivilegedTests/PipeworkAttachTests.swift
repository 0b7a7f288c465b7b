import Foundation
import TestSupport
import Testing

/// Every attach form end to end: the real binary in a scratch host namespace, two guests that must ping.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct PipeworkAttachTests {
    @Test func existingBridgeVethPairWithGatewayAndCopiedMTU() throws {
        let lab = try PipeworkLab("bridge")
        try run("ip", ["-n", lab.host, "link", "add", "br1", "mtu", "1400", "type", "bridge"])
        try run("ip", ["-n", lab.host, "link", "set", "br1", "up"])
        try run("ip", ["-n", lab.host, "addr", "add", "192.168.1.254/24", "dev", "br1"])
        let web = try lab.guest("web")
        let db = try lab.guest("db")
        try lab.attach(["br1", "-i", "eth1", web, "192.168.1.5/24@192.168.1.254"])
        try lab.attach(["br1", db, "192.168.1.6/24"])

        #expect(try lab.ping(from: web, "192.168.1.6"))
        #expect(try lab.ping(from: db, "192.168.1.5"))
        #expect(try lab.ping(from: web, "192.168.1.254"))
        let eth1 = try #require(try lab.ip(web, ["link", "show", "eth1"]).first)
        #expect(eth1["mtu"] as? Int == 1400)
        #expect((eth1["ifalias"] as? String)?.hasPrefix("splice:pipework mode=veth") == true)
        let route = try #require(try lab.ip(web, ["route", "show", "default"]).first)
        #expect(route["gateway"] as? String == "192.168.1.254")
        #expect(try lab.ip(db, ["route", "show", "default"]).isEmpty)
        let ports = try lab.ip(lab.host, ["link", "show", "master", "br1"])
        #expect(ports.count == 2)
        #expect(ports.allSatisfy { ($0["ifname"] as? String)?.hasPrefix("vsp") == true })
    }

    @Test func staticAddressIsAnnouncedWithGratuitousARP() throws {
        let lab = try PipeworkLab("garp")
        try run("ip", ["-n", lab.host, "link", "add", "brg", "type", "bridge"])
        try run("ip", ["-n", lab.host, "link", "set", "brg", "up"])
        let g = try lab.guest("g")
        let capture = try ARPCapture(namespace: lab.host, interface: "brg")
        try lab.attach(["brg", g, "10.6.0.9/24"])
        #expect(capture.awaitGratuitous(for: [10, 6, 0, 9]))
    }

    @Test func missingBrNameCreatesTheBridgeAndLocalNameIsHonoured() throws {
        let lab = try PipeworkLab("newbr")
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        try lab.attach(["brnew", "-l", "hostside0", "-i", "lan0", a, "10.7.0.1/24"])
        try lab.attach(["brnew", "-i", "lan0", b, "10.7.0.2/24"])
        let bridge = try #require(try lab.ip(lab.host, ["link", "show", "brnew"]).first)
        #expect((bridge["linkinfo"] as? [String: Any])?["info_kind"] as? String == "bridge")
        #expect(try lab.ip(lab.host, ["link", "show", "hostside0"]).first?["master"] as? String == "brnew")
        #expect(try lab.ping(from: a, "10.7.0.2"))
    }

    @Test func physicalInterfaceGetsMacvlanChildrenThatTalk() throws {
        let lab = try PipeworkLab("macvlan")
        let wire = try lab.guest("wire")
        // The host's "physical" NIC: one end of a veth whose other end sits in another namespace.
        try run("ip", ["-n", lab.host, "link", "add", "uplink", "type", "veth", "peer", "name", "far", "netns", wire])
        try run("ip", ["-n", wire, "link", "set", "far", "up"])
        try run("ip", ["-n", wire, "addr", "add", "172.30.0.100/24", "dev", "far"])
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        try lab.attach(["uplink", a, "172.30.0.1/24"])
        try lab.attach(["uplink", b, "172.30.0.2/24"])
        let eth1 = try #require(try lab.ip(a, ["link", "show", "eth1"]).first)
        let info = try #require(eth1["linkinfo"] as? [String: Any])
        #expect(info["info_kind"] as? String == "macvlan")
        #expect((info["info_data"] as? [String: Any])?["mode"] as? String == "bridge")
        #expect(try lab.ping(from: a, "172.30.0.2"))
        #expect(try lab.ping(from: b, "172.30.0.100"))
        // pipework brings the parent up.
        #expect((try lab.ip(lab.host, ["link", "show", "uplink"]).first?["flags"] as? [String])?.contains("UP") == true)
    }

    @Test func directPhysMovesTheDeviceAndDetachBringsItBack() throws {
        let lab = try PipeworkLab("phys")
        let wire = try lab.guest("wire")
        try run("ip", ["-n", lab.host, "link", "add", "nic7", "type", "veth", "peer", "name", "far", "netns", wire])
        try run("ip", ["-n", wire, "link", "set", "far", "up"])
        try run("ip", ["-n", wire, "addr", "add", "172.31.0.100/24", "dev", "far"])
        let g = try lab.guest("g")
        try lab.attach(["--direct-phys", "nic7", "-i", "eth5", g, "172.31.0.1/24", "U:phys-guest"])
        #expect(try !lab.hasInterface(lab.host, "nic7"))
        let moved = try #require(try lab.ip(g, ["link", "show", "eth5"]).first)
        #expect(moved["address"] as? String == "02:" + (try pipeworkMACTail("phys-guest")))
        #expect(try lab.ping(from: g, "172.31.0.100"))
        try lab.attach(["--detach", g, "-i", "eth5"])
        #expect(try lab.ip(lab.host, ["link", "show", "nic7"]).count == 1)
        #expect(try !lab.hasInterface(g, "eth5"))
    }

    @Test func noAddressForm() throws {
        let lab = try PipeworkLab("zero")
        let g = try lab.guest("g")
        try lab.attach(["brz", g, "0/0"])
        let eth1 = try #require(try lab.ip(g, ["addr", "show", "eth1"]).first)
        let families = ((eth1["addr_info"] as? [[String: Any]]) ?? []).compactMap { $0["family"] as? String }
        #expect(!families.contains("inet"))
        #expect((eth1["flags"] as? [String])?.contains("UP") == true)
    }

    @Test func ipv6WithGateway() throws {
        let lab = try PipeworkLab("v6")
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        try lab.attach(["br6", "-a", "6", a, "2001:db8:7::1/64@2001:db8:7::fe"])
        try lab.attach(["br6", b, "2001:db8:7::2/64"])
        #expect(try lab.ping(from: a, "2001:db8:7::2"))
        let route = try #require(try lab.ip(a, ["-6", "route", "show", "default"]).first)
        #expect(route["gateway"] as? String == "2001:db8:7::fe")
    }

    /// Docker disables IPv6 in its containers; asking for an IPv6 address on an interface turns it on there.
    @Test func ipv6InAGuestWithIPv6Disabled() throws {
        let lab = try PipeworkLab("v6off")
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        for guest in [a, b] {
            try run("ip", ["netns", "exec", guest, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
            try run("ip", ["netns", "exec", guest, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
        }
        try lab.attach(["br6o", "-a", "6", a, "2001:db8:c::11/64"])
        try lab.attach(["br6o", b, "2001:db8:c::12/64"])
        let sysctl = try run("ip", ["netns", "exec", a, "sysctl", "-n", "net.ipv6.conf.eth1.disable_ipv6"])
        #expect(sysctl.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try lab.ping(from: a, "2001:db8:c::12"))
    }

    @Test func givenAndDerivedMACAddresses() throws {
        let lab = try PipeworkLab("mac")
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        try lab.attach(["brm", a, "10.8.0.1/24", "26:2e:71:98:60:8f"])
        try lab.attach(["brm", b, "10.8.0.2/24", "U:web"])
        #expect(try lab.ip(a, ["link", "show", "eth1"]).first?["address"] as? String == "26:2e:71:98:60:8f")
        #expect(try lab.ip(b, ["link", "show", "eth1"]).first?["address"] as? String == "02:" + (try pipeworkMACTail("web")))
        #expect(try lab.ping(from: a, "10.8.0.2"))
    }

    @Test func guestByPIDAndByPath() throws {
        let lab = try PipeworkLab("pid")
        let sleeper = try lab.spawn("/usr/bin/unshare", ["--net", "/bin/sleep", "60"])
        // unshare execs sleep in the new namespace; wait until it has moved.
        var moved = false
        for _ in 0..<50 {
            let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
            let theirs = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(sleeper.processIdentifier)/ns/net")
            if let theirs, theirs != ours { moved = true; break }
            usleep(20_000)
        }
        try #require(moved)
        let path = try lab.guest("p")
        try lab.attach(["brp", "pid:\(sleeper.processIdentifier)", "10.9.0.1/24"])
        try lab.attach(["brp", "/run/netns/\(path)", "10.9.0.2/24"])
        #expect(try lab.ping(from: path, "10.9.0.1"))
    }

    @Test func vlanOnPhysicalInterface() throws {
        let lab = try PipeworkLab("vlan")
        let wire = try lab.guest("wire")
        try run("ip", ["-n", lab.host, "link", "add", "nic", "type", "veth", "peer", "name", "far", "netns", wire])
        let g = try lab.guest("g")
        let before = try lab.snapshot(lab.host)
        let result = try lab.pipework(["nic", g, "10.10.0.1/24", "@10"])
        if KernelProbe.hasVLAN {
            #expect(result.status == 0, Comment(rawValue: result.stderr))
            #expect(try lab.ip(lab.host, ["link", "show", "nic.10"]).count == 1)
        } else {
            // This kernel has no 802.1Q: the error names the option and nothing is left behind.
            #expect(result.status == 1)
            #expect(result.stderr.contains("CONFIG_VLAN_8021Q"))
            #expect(try lab.snapshot(lab.host) == before)
            #expect(try !lab.hasInterface(g, "eth1"))
        }
    }
}

/// The last five MAC bytes pipework derives for `U:text`: md5 of "text\n", as `echo text | md5sum` computes.
func pipeworkMACTail(_ text: String) throws -> String {
    let digest = try run("sh", ["-c", "printf '%s\\n' \"$1\" | md5sum", "sh", text])
    let hex = Array(digest.prefix(10))
    return stride(from: 0, to: 10, by: 2).map { String(hex[$0..<$0 + 2]) }.joined(separator: ":")
}

/// Kernel features probed once.
enum KernelProbe {
    static let hasVLAN: Bool = {
        let name = "sptprobe\(getpid())"
        guard (try? run("ip", ["netns", "add", name])) != nil else { return false }
        defer { _ = try? runStatus("ip", ["netns", "del", name]) }
        _ = try? run("ip", ["-n", name, "link", "add", "p", "type", "veth", "peer", "name", "q"])
        return (try? runStatus("ip", ["-n", name, "link", "add", "link", "p", "name", "p.5", "type", "vlan", "id", "5"]))?.status == 0
    }()
}
