import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

@Suite("Wire models")
struct ModelTests {
    /// docker-py's minimal create body (contract 10).
    static let dockerPyCreate = #"""
    {"Tty":false,"OpenStdin":false,"StdinOnce":false,"AttachStdin":false,"AttachStdout":false,"AttachStderr":false,\#
    "Cmd":["echo","hi"],"Image":"bb:latest","NetworkDisabled":false,"HostConfig":{"NetworkMode":"default"}}
    """#

    /// The CLI's create body, including fields from newer API versions (`run-fg.txt`, `run-ports.txt`).
    static let cliCreate = #"""
    {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,\#
    "ExposedPorts":{"8080/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,\#
    "Cmd":["echo","hello","world"],"Image":"bb:latest","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,\#
    "Labels":{},"HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},\#
    "NetworkMode":"default","PortBindings":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"18080"}]},\#
    "RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"ConsoleSize":[0,0],"CapAdd":null,\#
    "Dns":[],"MemorySwappiness":-1,"Memory":67108864},"NetworkingConfig":{"EndpointsConfig":{"default":\#
    {"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,\#
    "NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"",\#
    "GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}
    """#

    @Test("the create body is flattened, tolerant of nulls and unknown keys")
    func createBody() throws {
        let cli = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(Self.cliCreate.utf8))
        #expect(cli.config.Cmd == ["echo", "hello", "world"])
        #expect(cli.config.Env == nil)
        #expect(cli.config.ExposedPorts == ["8080/tcp": EmptyObject()])
        #expect(cli.hostConfig?.PortBindings?["8080/tcp"] == [.init(HostIp: "127.0.0.1", HostPort: "18080")])
        #expect(cli.hostConfig?.MemorySwappiness == -1)
        #expect(cli.hostConfig?.Memory == 67_108_864)
        #expect(cli.hostConfig?.RestartPolicy?.Name == "no")
        #expect(cli.networkingConfig?.EndpointsConfig?["default"] != nil)
        let py = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(Self.dockerPyCreate.utf8))
        #expect(py.config.Image == "bb:latest")
        #expect(py.config.NetworkDisabled == false)
        #expect(py.hostConfig?.NetworkMode == "default")
        #expect(py.hostConfig?.PortBindings == nil)
    }

    @Test("every Config key the create body carries is decoded: Cmd as a string, StopSignal, StopTimeout, MacAddress")
    func createConfigKeys() throws {
        let body = #"{"Image":"bb","Cmd":"echo hi","StopSignal":"SIGINT","StopTimeout":3,"MacAddress":"02:42:ac:11:00:09"}"#
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(body.utf8))
        #expect(request.config.Cmd == ["echo hi"])
        #expect(request.config.StopSignal == "SIGINT")
        #expect(request.config.StopTimeout == 3)
        #expect(request.config.MacAddress == "02:42:ac:11:00:09")
    }

    @Test("wait keeps Error: null and ends with a newline, as in run-fg.txt")
    func waitBody() throws {
        #expect(String(decoding: try JSONBody.encode(ContainerWaitResponse(StatusCode: 0)), as: UTF8.self)
            == "{\"Error\":null,\"StatusCode\":0}\n")
        let failed = ContainerWaitResponse(StatusCode: -1, Error: .init(Message: "context canceled"))
        #expect(String(decoding: try JSONBody.encode(failed), as: UTF8.self)
            == "{\"Error\":{\"Message\":\"context canceled\"},\"StatusCode\":-1}\n")
    }

    @Test("the create answer matches the capture byte for byte")
    func createAnswer() throws {
        let id = "941cc4fd9f699bcc644614628268c0ce08b101824f35427e8c7c87445b2d5f76"
        let bytes = try JSONBody.encode(ContainerCreateResponse(Id: id))
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"Id\":\"\(id)\",\"Warnings\":[]}\n")
        #expect(bytes.count == 88)
    }

    @Test("events carry the legacy duplicates and dockerd's field names")
    func eventShape() throws {
        let event = EventMessage(type: "container", action: "create",
                                 actor: .init(ID: "abc", Attributes: ["image": "bb:latest", "name": "cap_ev"]),
                                 timeNano: 1_795_972_928_196_247_559)
        let object = try jsonObject(try JSONBody.encode(event))
        #expect(Set(object.keys) == ["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"])
        #expect(object["time"] as? Int == 1_795_972_928)
        #expect(object["from"] as? String == "bb:latest")
    }

    @Test("inspect, summary, image and exec bodies use the captured field names")
    func responseShapes() throws {
        let inspect = try jsonObject(try JSONBody.encode(ContainerInspect()))
        for key in ["Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath",
                    "LogPath", "Name", "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel",
                    "AppArmorProfile", "HostConfig", "GraphDriver", "Mounts", "Config", "NetworkSettings"] {
            #expect(inspect[key] != nil, "missing \(key)")
        }
        let state = try #require(inspect["State"] as? [String: Any])
        #expect(Set(state.keys) == ["Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode",
                                    "Error", "StartedAt", "FinishedAt"])
        #expect(state["FinishedAt"] as? String == "0001-01-01T00:00:00Z")
        let image = try jsonObject(try JSONBody.encode(ImageSummary()))
        #expect(Set(image.keys) == ["Containers", "Created", "Id", "ParentId", "RepoDigests", "RepoTags", "SharedSize",
                                    "Size", "VirtualSize"])
        let exec = try jsonObject(try JSONBody.encode(ExecInspect()))
        #expect(Set(exec.keys) == ["ID", "Running", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout",
                                   "CanRemove", "ContainerID", "DetachKeys", "Pid"])
        let info = try jsonObject(try JSONBody.encode(SystemInfo()))
        #expect((info["Swarm"] as? [String: Any])?["LocalNodeState"] as? String == "inactive")
        #expect((info["RegistryConfig"] as? [String: Any])?["InsecureRegistryCIDRs"] as? [String] == ["127.0.0.0/8"])
    }

    @Test("stdcopy frames: stream id, three zero bytes, big-endian length")
    func stdcopy() {
        let frame = StdcopyFrame.encode(.stdout, Array("hello world\n".utf8))
        #expect(Array(frame.prefix(8)) == [1, 0, 0, 0, 0, 0, 0, 0x0C])
        let big = StdcopyFrame.encode(.stderr, [UInt8](repeating: 7, count: 0x01_02_03))
        #expect(Array(big.prefix(8)) == [2, 0, 0, 0, 0, 0x01, 0x02, 0x03])
        let decoded = StdcopyFrame.decode(frame + big + [1, 0, 0])
        #expect(decoded.chunks.count == 2)
        #expect(decoded.chunks[0] == OutputChunk(.stdout, "hello world\n"))
        #expect(decoded.consumed == frame.count + big.count)
    }

    @Test("Go durations parse as time.ParseDuration does", arguments: [
        ("1h", Int64(3_600_000_000_000)), ("1m30s", 90_000_000_000), ("1.5s", 1_500_000_000), ("200ms", 200_000_000),
        ("3us", 3_000), ("3µs", 3_000), ("7ns", 7), ("0", 0), ("-2s", -2_000_000_000), (".5m", 30_000_000_000),
    ])
    func goDurations(text: String, nanoseconds: Int64) {
        #expect(GoDuration.nanoseconds(text) == nanoseconds)
    }

    @Test("what time.ParseDuration refuses", arguments: ["", "5", "5x", "1.2.3s", "s", "-", "1h2", "99999999999h"])
    func notGoDurations(text: String) {
        #expect(GoDuration.nanoseconds(text) == nil)
    }
}
