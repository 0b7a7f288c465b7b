import Foundation
import Testing
@testable import SpliceDaemon
import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

/// The create body the docker CLI sends, mapped into the engine's options and back out through inspect.
/// Needs no root; it lives here because SpliceDaemon has no hermetic test target.
@Suite("Create body mapping and inspect echo")
struct CreateMappingTests {
    static let body = #"""
        {"Hostname":"","User":"nobody:nogroup","Tty":true,"OpenStdin":true,"StdinOnce":true,"Image":"bb",
         "Cmd":["sh"],"ExposedPorts":{"8080/tcp":{}},"Volumes":{"/anon":{}},
         "HostConfig":{"Binds":["named:/n:ro"],"NetworkMode":"default","RestartPolicy":{"Name":"on-failure",
         "MaximumRetryCount":3},"VolumesFrom":["src:ro"],"ConsoleSize":[24,80],"CapAdd":["CAP_NET_ADMIN"],
         "CapDrop":["CAP_CHOWN"],"Dns":["10.0.0.2"],"DnsOptions":["ndots:2"],"DnsSearch":["example.test"],
         "ExtraHosts":["myalias:10.1.2.3"],"GroupAdd":["audio"],"Links":["db:database"],"Privileged":true,
         "ReadonlyRootfs":true,"SecurityOpt":["no-new-privileges","seccomp=unconfined"],"CpuShares":512,
         "Memory":67108864,"BlkioWeight":300,"CpusetCpus":"0","PidsLimit":10,
         "Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"","CgroupPermissions":"rwm"}]}}
        """#

    @Test func everyFieldIsMapped() throws {
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(Self.body.utf8))
        let options = try ContainerCreateOptions(request)
        #expect(options.user == "nobody:nogroup" && options.tty && options.openStdin && options.stdinOnce)
        #expect(options.consoleSize == [24, 80])
        #expect(options.exposedPorts == ["8080/tcp"] && options.volumes == ["/anon"])
        #expect(options.binds == ["named:/n:ro"] && options.volumesFrom == ["src:ro"])
        #expect(options.restartPolicy == RestartPolicy(name: .onFailure, maximumRetryCount: 3))
        #expect(options.capAdd == ["CAP_NET_ADMIN"] && options.capDrop == ["CAP_CHOWN"])
        #expect(options.dns == ["10.0.0.2"] && options.dnsSearch == ["example.test"])
        #expect(options.dnsOptions == ["ndots:2"])
        #expect(options.extraHosts == ["myalias:10.1.2.3"] && options.groupAdd == ["audio"])
        #expect(options.links == ["db:database"] && options.privileged && options.readonlyRootfs)
        #expect(options.securityOpt == ["no-new-privileges", "seccomp=unconfined"])
        #expect(options.cpuShares == 512 && options.memory == 64 << 20 && options.blkioWeight == 300)
        #expect(options.cpusetCpus == "0" && options.pidsLimit == 10)
        #expect(options.devices == ["/dev/fuse:/dev/fuse:rwm"])
    }

    @Test func unknownRestartPolicyIsRefused() throws {
        let body = #"{"Image":"bb","HostConfig":{"RestartPolicy":{"Name":"sometimes"}}}"#
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(body.utf8))
        #expect(throws: EngineError(.invalidArgument, "invalid restart policy: unknown policy 'sometimes'; use one of"
                                        + " 'no', 'always', 'on-failure', or 'unless-stopped'")) {
            try ContainerCreateOptions(request)
        }
    }

    @Test func inspectEchoesTheOptions() throws {
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(Self.body.utf8))
        let options = try ContainerCreateOptions(request)
        var configuration = ContainerConfiguration(request: options, imageID: "sha256:x", entrypoint: [], cmd: ["sh"],
                                                   env: [], workingDir: "/", user: "nobody:nogroup", hostname: "h")
        configuration.links = [ContainerLink(targetID: "d", targetName: "db", alias: "database")]
        configuration.mounts = [
            VolumeMount(kind: .volume, name: "named", source: "/g/volumes/named/_data", destination: "/n",
                        readOnly: true, mode: "ro"),
            VolumeMount(kind: .volume, name: "abc", source: "/g/volumes/abc/_data", destination: "/anon",
                        anonymous: true),
        ]
        let record = ContainerRecord(id: String(repeating: "a", count: 64), name: "web", created: "t",
                                     createdSeconds: 0, configuration: configuration)
        let inspect = record.inspect(logPath: "/x")
        #expect(inspect.Config.Tty == true && inspect.Config.OpenStdin == true && inspect.Config.StdinOnce == true)
        #expect(inspect.Config.User == "nobody:nogroup")
        #expect(inspect.Config.Volumes?.keys.sorted() == ["/anon"])
        let host = inspect.HostConfig
        #expect(host.Links == ["/db:/web/database"])
        #expect(host.RestartPolicy == .init(Name: "on-failure", MaximumRetryCount: 3))
        #expect(host.CapAdd == ["CAP_NET_ADMIN"] && host.Privileged == true && host.ReadonlyRootfs == true)
        #expect(host.Dns == ["10.0.0.2"] && host.ExtraHosts == ["myalias:10.1.2.3"] && host.GroupAdd == ["audio"])
        #expect(host.SecurityOpt == ["no-new-privileges", "seccomp=unconfined"])
        #expect(host.CpuShares == 512 && host.CpusetCpus == "0" && host.PidsLimit == 10 && host.BlkioWeight == 300)
        #expect(host.Devices == [.init(PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse",
                                       CgroupPermissions: "rwm")])
        #expect(host.VolumesFrom == ["src:ro"] && host.ConsoleSize == [24, 80])
        #expect(inspect.Mounts.count == 2)
        #expect(inspect.Mounts[0].Type == "volume" && inspect.Mounts[0].Name == "named")
        #expect(inspect.Mounts[0].RW == false)
        #expect(inspect.Mounts[0].Driver == "local" && inspect.Mounts[0].Mode == "ro")
        #expect(inspect.Mounts[1].Destination == "/anon" && inspect.Mounts[1].RW)
    }
}
