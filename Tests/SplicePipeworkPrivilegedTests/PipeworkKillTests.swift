import Foundation
import SystemKit
import TestSupport
import Testing

/// `kill -9` of pipework in the middle of an attach (the reliability issue, section 3): a failpoint kills it after
/// each step; what the user then sees is no half-made interface once `pipework --cleanup` runs (host and guest as
/// before, the guest's default route that the attach had replaced back), and running the same command again
/// completes the attach.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct PipeworkKillTests {
    @Test("kill -9 at each attach step: --cleanup restores host and guest, a rerun attaches",
          arguments: Failpoint.pipeworkSteps)
    func killedAt(step: String) throws {
        let lab = try PipeworkLab("kill-\(step.split(separator: ".").last ?? "")")
        let g = try lab.guest("g")
        let peer = try lab.guest("p")
        try run("ip", ["-n", lab.host, "link", "add", "brk", "type", "bridge"])
        try run("ip", ["-n", lab.host, "link", "set", "brk", "up"])
        try lab.attach(["brk", peer, "10.22.0.1/24"])
        // The guest's own default route (as a container's eth0 has), which the attach replaces.
        let upstream = try lab.guest("u")
        try run("ip", ["-n", g, "link", "add", "gw0", "type", "veth", "peer", "name", "gw1", "netns", upstream])
        try run("ip", ["-n", upstream, "link", "set", "gw1", "up"])
        // No IPv6 on it: its link-local address and multicast routes arrive late and would make the snapshots
        // differ by timing alone.
        try run("nsenter", ["--net=/run/netns/\(g)", "sysctl", "-qw", "net.ipv6.conf.gw0.disable_ipv6=1"])
        try run("ip", ["-n", g, "addr", "add", "10.23.0.2/24", "dev", "gw0"])
        try run("ip", ["-n", g, "link", "set", "gw0", "up"])
        try run("ip", ["-n", g, "route", "add", "default", "via", "10.23.0.1"])
        let hostBefore = try lab.snapshot(lab.host)
        let guestBefore = try lab.snapshot(g)
        let arguments = ["brk", g, "10.22.0.5/24@10.22.0.1"]

        let cut = try lab.pipework(arguments, environment: ["SPLICE_FAILPOINT": step])
        #expect(cut.status != 0, "pipework died at \(step)")
        let cleanup = try lab.pipework(["--cleanup"])
        #expect(cleanup.status == 0, Comment(rawValue: cleanup.stderr))
        #expect(cleanup.stdout.contains("removed "), Comment(rawValue: "stdout: \(cleanup.stdout)"))
        if step == "pipework.routes" {
            #expect(cleanup.stdout.contains("restored the default route via 10.23.0.1%gw0"),
                    Comment(rawValue: "stdout: \(cleanup.stdout)"))
        }
        let hostAfter = try lab.snapshot(lab.host)
        #expect(hostAfter == hostBefore, Comment(rawValue: "before:\n\(hostBefore)\nafter:\n\(hostAfter)"))
        let guestAfter = try lab.snapshot(g)
        #expect(guestAfter == guestBefore, Comment(rawValue: "before:\n\(guestBefore)\nafter:\n\(guestAfter)"))

        // Cut again, then the same command without the kill: it removes the half-made veth first and attaches.
        #expect(try lab.pipework(arguments, environment: ["SPLICE_FAILPOINT": step]).status != 0)
        try lab.attach(arguments)
        #expect(try lab.ping(from: g, "10.22.0.1"))
        #expect(try lab.pipework(["--cleanup"]).stdout.isEmpty, "a complete attach is not taken for a cut one")
    }

    @Test("an intent mark whose process is no pipework is taken for a cut attach and removed")
    func foreignIntentIsRemoved() throws {
        let lab = try PipeworkLab("kill-live")
        try run("ip", ["-n", lab.host, "link", "add", "vlive", "type", "veth", "peer", "name", "vlive2"])
        // This test process is alive but no pipework (a reused pid): the mark naming it is abandoned.
        try run("ip", ["-n", lab.host, "link", "set", "vlive", "alias",
                       "splice:pipework mode=veth guest=x if=eth1 host=brk pending=\(getpid())"])
        let cleanup = try lab.pipework(["--cleanup"])
        #expect(cleanup.stdout == "removed vlive\n", Comment(rawValue: cleanup.stdout + cleanup.stderr))
        #expect(try !lab.hasInterface(lab.host, "vlive"))
    }
}
