import Foundation
import TestSupport
import Testing

/// Each failure path: a clear error on stderr, exit status 1, and the host and guest exactly as before.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct PipeworkRollbackTests {
    /// Runs a failing attach and checks the message and that neither namespace changed.
    private func expectCleanFailure(_ lab: PipeworkLab, _ arguments: [String], guest: String, message: String)
        throws
    {
        let hostBefore = try lab.snapshot(lab.host)
        let guestBefore = try lab.snapshot(guest)
        let result = try lab.pipework(arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), Comment(rawValue: "stderr: \(result.stderr)"))
        #expect(result.stdout.isEmpty)
        let hostAfter = try lab.snapshot(lab.host)
        #expect(hostAfter == hostBefore, Comment(rawValue: "before:\n\(hostBefore)\nafter:\n\(hostAfter)"))
        let guestAfter = try lab.snapshot(guest)
        #expect(guestAfter == guestBefore, Comment(rawValue: "before:\n\(guestBefore)\nafter:\n\(guestAfter)"))
    }

    @Test func guestThatAlreadyHasTheInterface() throws {
        let lab = try PipeworkLab("dup")
        let g = try lab.guest("g")
        try lab.attach(["brd", g, "10.20.0.1/24"])
        try expectCleanFailure(lab, ["brd", g, "10.20.0.2/24"], guest: g, message: "already has an interface \"eth1\"")
    }

    @Test func lateFailureRemovesTheVethAndTheNewBridge() throws {
        let lab = try PipeworkLab("late")
        let g = try lab.guest("g")
        // A gateway the kernel refuses (the guest's own address): the veth is made and addressed, then the
        // default route fails.
        try expectCleanFailure(lab, ["brlate", g, "2001:db8:9::1/64@2001:db8:9::1"], guest: g,
                               message: "Gateway can not be a local address")
        #expect(try !lab.hasInterface(lab.host, "brlate"))
    }

    @Test func lateFailureKeepsAnExistingBridgeAndItsPorts() throws {
        let lab = try PipeworkLab("keep")
        let ok = try lab.guest("ok")
        let g = try lab.guest("g")
        try lab.attach(["brk", ok, "10.21.0.1/24"])
        try expectCleanFailure(lab, ["brk", g, "2001:db8:a::1/64@2001:db8:a::1"], guest: g,
                               message: "Gateway can not be a local address")
        #expect(try lab.ping(from: ok, "10.21.0.1"))
        #expect(try lab.ip(lab.host, ["link", "show", "master", "brk"]).count == 1)
    }

    @Test func directPhysLateFailureMovesTheDeviceBackUnderItsName() throws {
        let lab = try PipeworkLab("physfail")
        let wire = try lab.guest("wire")
        try run("ip", ["-n", lab.host, "link", "add", "nic9", "address", "02:00:00:00:09:09", "type", "veth",
                       "peer", "name", "far", "netns", wire])
        let g = try lab.guest("g")
        try expectCleanFailure(lab, ["--direct-phys", "nic9", g, "2001:db8:b::1/64@2001:db8:b::1", "U:x"], guest: g,
                               message: "Gateway can not be a local address")
    }

    @Test func missingHostInterfaceThatIsNotABridgeName() throws {
        let lab = try PipeworkLab("nohost")
        let g = try lab.guest("g")
        try expectCleanFailure(lab, ["eth9", g, "10.22.0.1/24"], guest: g, message: "\"eth9\" does not exist")
    }

    @Test func localNameAlreadyTaken() throws {
        let lab = try PipeworkLab("local")
        let g = try lab.guest("g")
        try run("ip", ["-n", lab.host, "link", "add", "brl", "type", "bridge"])
        try run("ip", ["-n", lab.host, "link", "add", "taken", "type", "veth", "peer", "name", "taken2"])
        try expectCleanFailure(lab, ["brl", "-l", "taken", g, "10.23.0.1/24"], guest: g, message: "-l taken")
    }

    @Test func unknownGuest() throws {
        let lab = try PipeworkLab("noguest")
        let before = try lab.snapshot(lab.host)
        let result = try lab.pipework(["brx", "\(lab.tag)-nosuch", "10.24.0.1/24"],
                                      environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(lab.tag)-nosuch"))
        #expect(try lab.snapshot(lab.host) == before)
    }

    @Test func guestInTheHostNamespace() throws {
        let lab = try PipeworkLab("self")
        let before = try lab.snapshot(lab.host)
        let result = try lab.pipework(["brs", "/run/netns/\(lab.host)", "10.25.0.1/24"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("shares the host's network namespace"))
        #expect(try lab.snapshot(lab.host) == before)
    }

    @Test func badArgumentsNameTheArgument() throws {
        let lab = try PipeworkLab("args")
        let guest = try lab.guest("g")
        for (arguments, fragment) in [
            (["br0", "web", "10.0.0.5"], "10.0.0.5"),
            (["br0", "-i", "averyveryverylongname", "web", "10.0.0.5/24"], "averyveryverylongname"),
            (["br0", "web", "10.0.0.5/24", "01:00:5e:00:00:01"], "01:00:5e:00:00:01"),
            (["br0", "-a", "6", guest, "dhcp"], "DHCPv4 only"),
        ] {
            let result = try lab.pipework(arguments)
            #expect(result.status == 1)
            #expect(result.stderr.contains(fragment), Comment(rawValue: "stderr: \(result.stderr)"))
        }
    }
}
