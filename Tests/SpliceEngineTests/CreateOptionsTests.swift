import Foundation
import SpliceRuntime
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// Create-time validation of the `run` options, with dockerd's messages.
@Suite("Create options: validation and Docker's errors")
struct CreateOptionsTests {
    static func options(_ edit: (inout ContainerCreateOptions) -> Void) -> ContainerCreateOptions {
        var options = ContainerCreateOptions(image: "bb")
        edit(&options)
        return options
    }

    static let invalid: [(String, ContainerCreateOptions)] = [
        ("can't create 'AutoRemove' container with restart policy",
         options { $0.autoRemove = true; $0.restartPolicy = RestartPolicy(name: .onFailure, maximumRetryCount: 2) }),
        ("invalid restart policy: maximum retry count can only be used with 'on-failure'",
         options { $0.restartPolicy = RestartPolicy(name: .always, maximumRetryCount: 3) }),
        ("invalid restart policy: maximum retry count cannot be negative",
         options { $0.restartPolicy = RestartPolicy(name: .onFailure, maximumRetryCount: -1) }),
        ("invalid CapAdd: unknown capability: \"CAP_NOPE\"", options { $0.capAdd = ["NOPE"] }),
        ("invalid CapDrop: unknown capability: \"CAP_BOGUS\"", options { $0.capDrop = ["CAP_BOGUS"] }),
        ("invalid --security-opt 1: \"nonsense\"", options { $0.securityOpt = ["nonsense"] }),
        ("invalid --security-opt 2: \"foo=bar\"", options { $0.securityOpt = ["foo=bar"] }),
        ("invalid --security-opt 2: \"no-new-privileges=maybe\"",
         options { $0.securityOpt = ["no-new-privileges=maybe"] }),
        ("10.0.0.300 is not an ip address", options { $0.dns = ["10.0.0.300"] }),
        ("bad format for add-host: \"justaname\"", options { $0.extraHosts = ["justaname"] }),
        ("invalid IP address in add-host: \"nowhere\"", options { $0.extraHosts = ["name:nowhere"] }),
        ("conflicting options: mac-address and the network mode",
         options { $0.networkMode = "container:x"; $0.macAddress = "02:42:ac:11:00:09" }),
        ("Invalid signal: SIGNOPE", options { $0.stopSignal = "SIGNOPE" }),
        ("conflicting options: hostname and the network mode",
         options { $0.networkMode = "container:abc"; $0.hostname = "h" }),
        ("conflicting options: dns and the network mode",
         options { $0.networkMode = "container:abc"; $0.dns = ["10.0.0.2"] }),
        ("conflicting options: custom host-to-IP mapping and the network mode",
         options { $0.networkMode = "container:abc"; $0.extraHosts = ["a:10.0.0.1"] }),
        ("conflicting options: port publishing and the container type network mode",
         options { $0.networkMode = "container:abc"; $0.portBindings = ["80"] }),
        ("conflicting options: container type network can't be used with links. This would result in undefined"
            + " behavior", options { $0.networkMode = "container:abc"; $0.links = ["db:db"] }),
        ("conflicting options: host type networking can't be used with links. This would result in undefined"
            + " behavior", options { $0.networkMode = "host"; $0.links = ["db"] }),
        ("Range of blkio weight is from 10 to 1000", options { $0.blkioWeight = 5 }),
        ("invalid mode: rx", options { $0.binds = ["/tmp:/data:rx"] }),
        ("invalid volume specification: '/tmp:data': invalid mount config: invalid mount path: 'data' mount path"
            + " must be absolute", options { $0.binds = ["/tmp:data"] }),
        ("invalid mode for volumes-from: rx", options { $0.volumesFrom = ["other:rx"] }),
        ("Invalid value 0-x for cpuset cpus", options { $0.cpusetCpus = "0-x" }),
    ]

    @Test(arguments: 0..<invalid.count)
    func refusedWithDockersMessage(index: Int) {
        var (message, options) = Self.invalid[index]
        #expect(throws: EngineError(.invalidArgument, message)) { try CreateValidation.validate(&options) }
    }

    @Test func hostNetworkDiscardsPublishedPortsWithAWarning() throws {
        var options = Self.options { $0.networkMode = "host"; $0.portBindings = ["8080:80"] }
        let warnings = try CreateValidation.validate(&options)
        #expect(warnings == ["Published ports are discarded when using host network mode"])
        #expect(options.portBindings.isEmpty)
    }

    @Test func acceptedOptionsPassAndAppArmorAndLabelAreWarnings() throws {
        var options = Self.options {
            $0.capAdd = ["NET_ADMIN", "CAP_SYS_ADMIN", "ALL"]
            $0.capDrop = ["chown"]
            $0.securityOpt = ["no-new-privileges", "seccomp=unconfined", "apparmor=docker-default", "label=disable"]
            $0.dns = ["10.0.0.2", "fd00::1"]
            $0.extraHosts = ["db:10.0.0.5", "v6=[fd00::5]"]
            $0.restartPolicy = RestartPolicy(name: .onFailure, maximumRetryCount: 3)
            $0.binds = ["/srv:/srv:ro", "data:/data"]
            $0.volumes = ["/cache"]
        }
        let warnings = try CreateValidation.validate(&options)
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.contains("not applicable") })
        #expect(warnings[0].contains("apparmor=docker-default") && warnings[1].contains("label=disable"))
    }

    @Test func extraHostsAndLinksParse() throws {
        #expect(try CreateValidation.extraHost("myalias:127.0.0.1", gateway: nil)
                == HostsEntry(address: "127.0.0.1", names: ["myalias"]))
        #expect(try CreateValidation.extraHost("six:fd00::1", gateway: nil)
                == HostsEntry(address: "fd00::1", names: ["six"]))
        #expect(try CreateValidation.extraHost("gw:host-gateway", gateway: "172.18.0.1")
                == HostsEntry(address: "172.18.0.1", names: ["gw"]))
        #expect(throws: EngineError(.invalidArgument, "unable to derive the IP value for host-gateway")) {
            try CreateValidation.extraHost("gw:host-gateway", gateway: nil)
        }
        #expect(try CreateValidation.parseLink("db") == ("db", "db"))
        #expect(try CreateValidation.parseLink("/db:web") == ("db", "web"))
    }

    @Test func seccompOptions() throws {
        #expect(try SecurityOptions.parse(["seccomp=unconfined"]).seccomp == .unconfined)
        #expect(try SecurityOptions.parse([]).seccomp == .default)
        let profile = #"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}"#
        guard case .custom(let parsed) = try SecurityOptions.parse(["seccomp=" + profile]).seccomp else {
            Issue.record("a JSON profile should parse as a custom profile")
            return
        }
        #expect(parsed.defaultAction == "SCMP_ACT_ALLOW")
        #expect(parsed.syscalls.count == 1)
        #expect(throws: EngineError.self) { try SecurityOptions.parse(["seccomp={not json"]) }
        #expect(throws: EngineError.self) { try SecurityOptions.parse(["seccomp=/etc/profile.json"]) }
        #expect(try SecurityOptions.parse(["no-new-privileges"]).noNewPrivileges)
        #expect(try SecurityOptions.parse(["no-new-privileges:true"]).noNewPrivileges)
        #expect(try SecurityOptions.parse(["no-new-privileges=false"]).noNewPrivileges == false)
    }

    @Test func volumeSpecs() throws {
        #expect(try VolumeSpec.parse("/data") == VolumeSpec(source: .anonymous, destination: "/data", mode: ""))
        let bind = try VolumeSpec.parse("/host/dir:/host:ro")
        #expect(bind.source == .bind("/host/dir") && bind.destination == "/host" && bind.readOnly)
        let named = try VolumeSpec.parse("capvol:/named")
        #expect(named.source == .named("capvol") && !named.readOnly)
        #expect(try VolumeSpec.parse("v1:/x:rw,z").mode == "rw,z")
        #expect(throws: EngineError.self) { try VolumeSpec.parse("bad name:/x") }
        #expect(throws: EngineError.self) { try VolumeSpec.parse("a:/x:/y:ro") }
        #expect(throws: EngineError.self) { try VolumeSpec.parse("/a:/") }
        #expect(!VolumeSpec.isValidName("a") && !VolumeSpec.isValidName("-ab") && VolumeSpec.isValidName("my-vol.1"))
        #expect(try VolumeSpec.parseVolumesFrom("web").readOnly == nil)
        #expect(try VolumeSpec.parseVolumesFrom("web:ro").readOnly == true)
    }

    @Test func limitsFromTheRequest() throws {
        let request = Self.options {
            $0.memory = 64 << 20
            $0.cpuShares = 512
            $0.cpusetCpus = "0"
            $0.pidsLimit = 10
            $0.privileged = true
        }
        let limits = try ContainerEngine.limits(for: request)
        #expect(limits.memoryBytes == 64 << 20)
        #expect(limits.cpuShares == 512)
        #expect(limits.cpusetCpus == "0")
        #expect(limits.pidsLimit == 10)
        #expect(limits.devices == [DeviceRule(kind: .all, major: nil, minor: nil)])
        #expect(try ContainerEngine.limits(for: Self.options { $0.pidsLimit = -1 }).pidsLimit == nil)
        let devices = try ContainerEngine.deviceRules(["/dev/null:/dev/mynull:rw"])
        #expect(devices.first?.cgroupV1Line == "c 1:3 rw")
        #expect(devices.first?.containerPath == "/dev/mynull")
        #expect(throws: EngineError.self) { try ContainerEngine.deviceRules(["/nonexistent/dev"]) }
    }
}
