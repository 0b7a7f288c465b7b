import Foundation
import Testing
@testable import SpliceRuntime

@Suite("ContainerSpec JSON")
struct ContainerSpecTests {
    /// What the daemon writes (`JSONEncoder`) and what `splice-init` reads (`ContainerSpec.decode`).
    static func roundTrip(_ spec: ContainerSpec) throws -> ContainerSpec {
        try ContainerSpec.decode(Array(JSONEncoder().encode(spec)))
    }

    @Test("a full spec survives a JSON round trip")
    func roundTrip() throws {
        var spec = ContainerSpec(
            id: "c1", command: ["sh", "-c", "echo hi"],
            rootfs: .overlay(lower: ["/l2", "/l1"], upper: "/u", work: "/w"), environment: ["A=1"],
            workingDirectory: "/srv", user: "1000:100", additionalGroups: [10, 20], hostname: "web",
            mounts: [BindMount(source: "/data", target: "/data", readOnly: true, propagation: "rslave"),
                     BindMount(source: "/a b", target: "/\"q\"")],
            network: .namespace(path: "/run/netns/x"), hosts: [HostsEntry(address: "10.0.0.2", names: ["web"])],
            dns: DNSConfig(nameservers: ["1.1.1.1"], searches: ["lan"], options: ["ndots:2"]), capAdd: ["NET_ADMIN"],
            capDrop: ["MKNOD"], privileged: false, noNewPrivileges: true,
            seccomp: .custom(profile: SeccompProfile(defaultAction: "SCMP_ACT_ALLOW", syscalls: [])), tty: true,
            openStdin: true, stdinOnce: true, consoleSize: TerminalSize(rows: 40, columns: 120),
            logPath: "/var/log/c1.log")
        spec.compiledSeccomp = CompiledSeccomp(capabilities: 0xa80425fb, program: Array(0...255))
        spec.cgroupProcs = ["/sys/fs/cgroup/memory/splice/c1/cgroup.procs"]
        spec.readonlyRootfs = true
        spec.cgroupView = .v1([CgroupView.Hierarchy(name: "cpu,cpuacct", source: "/sys/fs/cgroup/cpu,cpuacct/c1",
                                                    aliases: ["cpu", "cpuacct"])])
        spec.pidNamespace = .path("/proc/7/ns/pid")
        spec.hostUTS = true
        spec.tmpfs = [TmpfsMount(target: "/run", options: "size=64m,noexec")]
        spec.sysctls = ["net.ipv4.ip_forward": "1", "kernel.msgmax": "65536"]
        spec.shmSize = 1 << 30
        spec.ipcNamespace = .host
        spec.sharedMemory = .namespace("/proc/9/ns/mnt")
        spec.oomScoreAdjust = -500
        spec.resourceLimits = [ResourceLimit(name: "nofile", soft: 1024, hard: -1)]
        spec.initBinary = "/usr/local/bin/splice-init"
        spec.logSettings = LogSettings(enabled: false, maxSize: UInt64.max, maxFiles: 3)
        spec.awaitAttach = true
        spec.volatileUpper = true
        spec.privateCgroupNamespace = true
        var remap = UserNamespaceSpec(uidMappings: [.init(containerID: 0, hostID: 100000, size: 65536)],
                                      gidMappings: [.init(containerID: 0, hostID: 200000, size: 65536)])
        remap.idmappedLayers = false
        spec.userNamespace = remap
        #expect(try Self.roundTrip(spec) == spec)
    }

    @Test("every case of the spec's enums reads back")
    func everyCase() throws {
        var spec = ContainerSpec(id: "c", command: ["true"], rootfs: .directory(path: "/r"))
        for network in [ContainerNetwork.host, .namespace(path: "/n")] {
            spec.network = network
            #expect(try Self.roundTrip(spec) == spec)
        }
        for seccomp in [SeccompSetting.default, .unconfined] {
            spec.seccomp = seccomp
            #expect(try Self.roundTrip(spec) == spec)
        }
        for view in [CgroupView.none, .unified(source: "/sys/fs/cgroup/c"), .v1([])] {
            spec.cgroupView = view
            #expect(try Self.roundTrip(spec) == spec)
        }
        for mode in [NamespaceMode.private, .host, .path("/p")] {
            spec.pidNamespace = mode
            spec.ipcNamespace = mode
            #expect(try Self.roundTrip(spec) == spec)
        }
        for shared in [SharedMemory.tmpfs, .none, .host, .namespace("/m")] {
            spec.sharedMemory = shared
            #expect(try Self.roundTrip(spec) == spec)
        }
    }

    @Test("only id, command and rootfs are required; the rest takes Docker's defaults")
    func minimalSpec() throws {
        let json = #"{"id":"c","command":["true"],"rootfs":{"directory":{"path":"/r"}}}"#
        let spec = try ContainerSpec.decode(Array(json.utf8))
        #expect(spec == ContainerSpec(id: "c", command: ["true"], rootfs: .directory(path: "/r")))
        #expect(spec.seccomp == .default)
        #expect(spec.network == .host)
        #expect(spec.workingDirectory == "/")
    }

    @Test("a bad spec is refused with the path of what is wrong")
    func badSpecs() {
        let cases: [(String, String)] = [
            ("[", "not JSON"),
            (#"{"command":["true"],"rootfs":{"directory":{"path":"/r"}}}"#, "spec.id is missing"),
            (#"{"id":"c","command":["true",1],"rootfs":{"directory":{"path":"/r"}}}"#,
             "spec.command[1] is not a string"),
            (#"{"id":"c","command":[],"rootfs":{"tarball":{}}}"#, #"spec.rootfs has an unknown case "tarball""#),
            (#"{"id":"c","command":[],"rootfs":{"directory":{"path":"/r"}},"shmSize":-1.5}"#,
             "spec.shmSize is not an integer"),
            (#"{"id":"c","command":[],"rootfs":{"directory":{"path":"/r"}},"#
                + #""consoleSize":{"rows":70000,"columns":1}}"#,
             "spec.consoleSize.rows is not an integer of its range"),
        ]
        for (json, message) in cases {
            #expect(throws: RuntimeError.self) { try ContainerSpec.decode(Array(json.utf8)) }
            do {
                _ = try ContainerSpec.decode(Array(json.utf8))
            } catch {
                #expect(error.description.contains(message), "\(json): \(error)")
            }
        }
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
