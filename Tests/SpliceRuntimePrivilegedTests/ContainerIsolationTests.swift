import Foundation
import Glibc
import SpliceRuntime
import Testing

@Suite(
    "Container isolation: namespaces, mounts, capabilities, seccomp", .serialized,
    .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"))
struct ContainerIsolationTests {
    @Test("the command is pid 1 of its own pid namespace and host processes are invisible")
    func pidNamespace() throws {
        let lab = try ContainerLab("pid")
        let (exit, lines) = try lab.run(lab.spec("pid", ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; echo; ls /proc | grep -c '^[0-9]'"]))
        #expect(exit.exitCode == 0)
        let out = lab.stdout(lines).split(separator: "\n")
        #expect(out.first?.hasPrefix("sh -c tr") == true)
        #expect((out.last.flatMap { Int($0) } ?? 99) <= 4)
    }

    @Test("hostname, /etc/hosts and /etc/resolv.conf come from the spec")
    func hostnameAndEtc() throws {
        let lab = try ContainerLab("uts")
        var spec = lab.spec("uts", ["sh", "-c", "hostname; cat /etc/hostname; tail -1 /etc/hosts; cat /etc/resolv.conf"])
        spec.hostname = "box1"
        spec.hosts = [HostsEntry(address: "10.9.8.7", names: ["box1"])]
        spec.dns = DNSConfig(nameservers: ["10.0.0.53"])
        let (exit, lines) = try lab.run(spec)
        #expect(exit.exitCode == 0)
        #expect(lab.stdout(lines) == "box1\nbox1\n10.9.8.7\tbox1\nnameserver 10.0.0.53\n")
        #expect(Self.hostname() != "box1")
    }

    @Test("mount is denied by default and allowed when privileged")
    func mountNeedsPrivileges() throws {
        let lab = try ContainerLab("mnt")
        let command = ["sh", "-c", "mount -t tmpfs none /mnt && grep -c ' /mnt ' /proc/self/mountinfo"]
        let denied = try lab.run(lab.spec("denied", command))
        #expect(denied.exit.exitCode != 0)
        var privileged = lab.spec("privileged", command)
        privileged.privileged = true
        let allowed = try lab.run(privileged)
        #expect(allowed.exit.exitCode == 0)
        #expect(lab.stdout(allowed.lines) == "1\n")
    }

    @Test("the default seccomp filter is installed and, as Docker's, lets mount through with CAP_SYS_ADMIN")
    func seccompDefault() throws {
        let lab = try ContainerLab("seccomp")
        let command = ["sh", "-c", "grep '^Seccomp:' /proc/self/status; mount -t tmpfs none /mnt && echo mounted"]
        var confined = lab.spec("confined", command)
        confined.capAdd = ["CAP_SYS_ADMIN"]
        let withCapability = try lab.run(confined)
        #expect(withCapability.exit.exitCode == 0)
        #expect(lab.stdout(withCapability.lines) == "Seccomp:\t2\nmounted\n")
        var unconfined = confined
        unconfined.id = "unconfined"
        unconfined.seccomp = .unconfined
        let allowed = try lab.run(unconfined)
        #expect(allowed.exit.exitCode == 0)
        #expect(lab.stdout(allowed.lines) == "Seccomp:\t0\nmounted\n")
    }

    @Test("Docker's masked paths are hidden and read-only paths are read-only")
    func maskedAndReadOnly() throws {
        let lab = try ContainerLab("mask")
        let script = """
            test -e /proc/kcore && wc -c < /proc/kcore || echo 0; wc -c < /proc/keys; wc -c < /proc/timer_list
            grep -c ' /proc/sys ro,' /proc/self/mountinfo; echo 1 > /proc/sys/kernel/ns_last_pid || echo denied
            grep -c ' /sys ro,' /proc/self/mountinfo
            for p in /proc /proc/sys /proc/bus /proc/irq; do
                grep " $p [rw][ow],nosuid,nodev,noexec" /proc/self/mountinfo | wc -l
            done
            """
        let (exit, lines) = try lab.run(lab.spec("mask", ["sh", "-c", script]))
        #expect(exit.exitCode == 0)
        // /proc and its read-only submounts carry nosuid,nodev,noexec, as Docker's do.
        #expect(lab.stdout(lines) == "0\n0\n0\n1\ndenied\n1\n1\n1\n1\n1\n")
    }

    @Test("the network namespace path is honoured")
    func networkNamespace() throws {
        let lab = try ContainerLab("net")
        let namespace = "spt\(getpid())-rt"
        let host = "vrt\(getpid() % 100_000)"
        try ContainerLab.output("ip", ["netns", "add", namespace])
        defer {
            _ = try? ContainerLab.output("ip", ["link", "del", host])
            _ = try? ContainerLab.output("ip", ["netns", "del", namespace])
        }
        try ContainerLab.output("ip", ["link", "add", host, "type", "veth", "peer", "name", "ctr0", "netns", namespace])
        var spec = lab.spec("net", ["sh", "-c", "ip -o link | cut -d: -f2 | tr -d ' ' | sort"])
        spec.network = .namespace(path: "/run/netns/\(namespace)")
        let (exit, lines) = try lab.run(spec)
        #expect(exit.exitCode == 0)
        #expect(lab.stdout(lines) == "ctr0@if\(try Self.ifindex(host))\nlo\n")
        let hostNet = try lab.run(lab.spec("hostnet", ["sh", "-c", "ip -o link | grep -c \(host)"]))
        #expect(lab.stdout(hostNet.lines) == "1\n")
    }

    private static func hostname() -> String {
        ((try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func ifindex(_ name: String) throws -> String {
        try String(contentsOfFile: "/sys/class/net/\(name)/ifindex", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
