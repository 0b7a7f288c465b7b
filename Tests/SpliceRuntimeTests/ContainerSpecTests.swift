import Foundation
import Testing
@testable import SpliceRuntime

@Suite("ContainerSpec JSON")
struct ContainerSpecTests {
    @Test("a full spec survives a JSON round trip")
    func roundTrip() throws {
        let spec = ContainerSpec(
            id: "c1", command: ["sh", "-c", "echo hi"],
            rootfs: .overlay(lower: ["/l2", "/l1"], upper: "/u", work: "/w"), environment: ["A=1"],
            workingDirectory: "/srv", user: "1000:100", additionalGroups: [10, 20], hostname: "web",
            mounts: [BindMount(source: "/data", target: "/data", readOnly: true)],
            network: .namespace(path: "/run/netns/x"), hosts: [HostsEntry(address: "10.0.0.2", names: ["web"])],
            dns: DNSConfig(nameservers: ["1.1.1.1"], searches: ["lan"], options: ["ndots:2"]), capAdd: ["NET_ADMIN"],
            capDrop: ["MKNOD"], privileged: false, noNewPrivileges: true,
            seccomp: .custom(profile: SeccompProfile(defaultAction: "SCMP_ACT_ALLOW", syscalls: [])), tty: false,
            logPath: "/var/log/c1.log")
        let decoded = try JSONDecoder().decode(ContainerSpec.self, from: JSONEncoder().encode(spec))
        #expect(decoded == spec)
    }

    @Test("only id, command and rootfs are required; the rest takes Docker's defaults")
    func minimalSpec() throws {
        let json = #"{"id":"c","command":["true"],"rootfs":{"directory":{"path":"/r"}}}"#
        let spec = try JSONDecoder().decode(ContainerSpec.self, from: Data(json.utf8))
        #expect(spec == ContainerSpec(id: "c", command: ["true"], rootfs: .directory(path: "/r")))
        #expect(spec.seccomp == .default)
        #expect(spec.network == .host)
        #expect(spec.workingDirectory == "/")
    }

    @Test("the exit record decodes a signal as 128 + signal")
    func exitFromSignal() {
        #expect(ContainerExit(statusCode: -9, finishedAt: "t") == ContainerExit(exitCode: 137, signal: 9, finishedAt: "t"))
        #expect(ContainerExit(statusCode: 7, finishedAt: "t").exitCode == 7)
    }

    @Test("etc files are rendered as Docker renders them")
    func etcFiles() {
        let hosts = EtcFiles.hosts([HostsEntry(address: "172.17.0.2", names: ["web", "web.lan"])])
        #expect(hosts.hasPrefix("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"))
        #expect(hosts.hasSuffix("ff02::2\tip6-allrouters\n172.17.0.2\tweb web.lan\n"))
        #expect(EtcFiles.resolvConf(DNSConfig(nameservers: ["8.8.8.8", "1.1.1.1"], searches: ["a", "b"], options: ["ndots:1"]))
            == "nameserver 8.8.8.8\nnameserver 1.1.1.1\nsearch a b\noptions ndots:1\n")
        #expect(EtcFiles.resolvConf(DNSConfig()) == "")
        #expect(EtcFiles.hostname("web") == "web\n")
    }
}
