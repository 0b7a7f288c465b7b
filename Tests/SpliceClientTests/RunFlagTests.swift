import DockerModels
import Foundation
import Testing
@testable import SpliceClient

@Suite("run/create flags: values, docker's messages, the create body")
struct RunFlagTests {
    func parse(_ arguments: [String], detach: Bool = false, environment: [String: String] = [:],
               consoleSize: [Int]? = nil) throws -> ContainerCreateRequest {
        let scanner = ArgumentScanner(command: "run", flags: SpliceCLI.runFlags, interspersed: false)
        let parsed = try scanner.scan(arguments)
        return try SpliceCLI.createRequest(parsed, .init(detach: detach, environment: environment,
                                                        consoleSize: consoleSize)).0
    }

    /// The body as compact JSON with sorted keys, to compare with fields of the captured docker CLI bodies.
    func json(_ request: ContainerCreateRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    func run(_ arguments: [String]) -> (Int32, String) {
        let captured = CapturedConsole()
        var context = CommandContext(client: DockerClient(endpoint: .unix(path: "/nonexistent/splice.sock")),
                                     console: captured.console, now: { 0 })
        context.terminalFD = nil
        return (SpliceCLI.run(arguments[0], Array(arguments.dropFirst()), context: context), captured.stderr)
    }

    @Test func capsAsDockerSendsThem() throws {
        // run-caps.txt: --cap-add NET_ADMIN --cap-drop CHOWN → "CapAdd":["CAP_NET_ADMIN"],"CapDrop":["CAP_CHOWN"]
        let body = try json(parse(["--rm", "--cap-add", "NET_ADMIN", "--cap-drop", "chown", "bb:latest", "sh"]))
        #expect(body.contains(#""CapAdd":["CAP_NET_ADMIN"]"#))
        #expect(body.contains(#""CapDrop":["CAP_CHOWN"]"#))
        #expect(body.contains(#""AutoRemove":true"#))
        #expect(body.contains(#""AttachStdout":true"#) && body.contains(#""AttachStdin":false"#))
        let all = try parse(["--cap-add", "all", "--cap-add", "SYS_ADMIN", "--cap-drop", "sys_admin", "bb"])
        #expect(all.hostConfig?.CapAdd == ["ALL"])
        #expect(all.hostConfig?.CapDrop == ["CAP_SYS_ADMIN"])
        // A capability both added and dropped is added (docker's EffectiveCapAddCapDrop).
        let both = try parse(["--cap-add", "net_admin", "--cap-drop", "CAP_NET_ADMIN", "--cap-drop", "mknod", "bb"])
        #expect(both.hostConfig?.CapAdd == ["CAP_NET_ADMIN"] && both.hostConfig?.CapDrop == ["CAP_MKNOD"])
        let none = try json(parse(["bb"]))
        // As the docker CLI (create.txt): "CapAdd":null.
        #expect(none.contains(#""CapAdd":null"#) && none.contains(#""ConsoleSize":[0,0]"#))
    }

    @Test func resourcesRestartAndSecurity() throws {
        // run-resources.txt, run-restart.txt, run-secopt.txt
        let request = try parse(["-d", "--name", "x", "-m", "64m", "-c", "512", "--cpuset-cpus", "0",
                                 "--restart", "on-failure:3", "--pids-limit", "100", "--blkio-weight", "300",
                                 "--security-opt", "no-new-privileges", "--security-opt", "seccomp=unconfined",
                                 "bb:latest", "sh", "-c", "exit 1"], detach: true)
        let body = try json(request)
        #expect(body.contains(#""Memory":67108864"#))
        #expect(body.contains(#""CpuShares":512"#))
        #expect(body.contains(#""CpusetCpus":"0""#))
        #expect(body.contains(#""RestartPolicy":{"MaximumRetryCount":3,"Name":"on-failure"}"#))
        #expect(body.contains(#""SecurityOpt":["no-new-privileges","seccomp=unconfined"]"#))
        #expect(request.hostConfig?.PidsLimit == 100)
        #expect(request.hostConfig?.BlkioWeight == 300)
        #expect(request.config.AttachStdout == false && request.config.AttachStderr == false)
        #expect(try parse(["--restart", "always", "bb"]).hostConfig?.RestartPolicy == .init(Name: "always",
                                                                                            MaximumRetryCount: 0))
        #expect(try parse(["bb"]).hostConfig?.RestartPolicy == .init(Name: "no", MaximumRetryCount: 0))
    }

    @Test func interactiveTTYBody() throws {
        // run-it.txt: AttachStdin/OpenStdin/StdinOnce/Tty true and the terminal's size in ConsoleSize.
        let request = try parse(["-it", "--detach-keys", "ctrl-a,x", "bb:latest", "sh"], consoleSize: [24, 80])
        #expect(request.config.AttachStdin == true && request.config.OpenStdin == true)
        #expect(request.config.StdinOnce == true && request.config.Tty == true)
        #expect(request.hostConfig?.ConsoleSize == [24, 80])
        // create-i.txt: -i alone.
        let create = try parse(["-i", "bb:latest", "cat"])
        #expect(create.config.AttachStdin == true && create.config.StdinOnce == true && create.config.Tty == false)
        // -d drops every attach and StdinOnce; -a picks streams.
        let detached = try parse(["-d", "-i", "bb"], detach: true)
        #expect(detached.config.AttachStdin == false && detached.config.StdinOnce == false)
        #expect(detached.config.OpenStdin == true)
        let attachOne = try parse(["-a", "STDERR", "bb"])
        #expect(attachOne.config.AttachStderr == true && attachOne.config.AttachStdout == false)
    }

    @Test func networkingAndHostFlags() throws {
        let request = try parse([
            "--dns", "10.0.0.2", "--dns-search", "example.com", "--dns-opt", "ndots:2", "--add-host", "db:10.0.0.5",
            "--add-host", "gw=host-gateway", "--add-host", "v6:[::1]", "--link", "web:w", "--volumes-from", "data:ro",
            "--device", "/dev/null:/dev/xnull:r", "--device", "/dev/zero", "--group-add", "audio",
            "--read-only", "--privileged", "-l", "a=1", "--label", "b", "--stop-signal", "SIGUSR1",
            "--mac-address", "92:d0:c6:0a:29:33", "--expose", "7000-7001/udp", "--expose", "80", "--cidfile", "/tmp/c",
            "bb",
        ])
        let host = try #require(request.hostConfig)
        #expect(host.Dns == ["10.0.0.2"] && host.DnsSearch == ["example.com"] && host.DnsOptions == ["ndots:2"])
        #expect(host.ExtraHosts == ["db:10.0.0.5", "gw:host-gateway", "v6:::1"])
        #expect(host.Links == ["web:w"] && host.VolumesFrom == ["data:ro"] && host.GroupAdd == ["audio"])
        #expect(host.Devices == [.init(PathOnHost: "/dev/null", PathInContainer: "/dev/xnull", CgroupPermissions: "r"),
                                 .init(PathOnHost: "/dev/zero", PathInContainer: "/dev/zero", CgroupPermissions: "rwm")])
        #expect(host.ReadonlyRootfs == true && host.Privileged == true && host.ContainerIDFile == "/tmp/c")
        #expect(request.config.Labels == ["a": "1", "b": ""])
        #expect(request.config.StopSignal == "SIGUSR1" && request.config.MacAddress == "92:d0:c6:0a:29:33")
        #expect(request.config.ExposedPorts == ["7000/udp": EmptyObject(), "7001/udp": EmptyObject(),
                                                "80/tcp": EmptyObject()])
    }

    @Test func filesAndEnvironment() throws {
        let directory = NSTemporaryDirectory() + "splice-flags-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "# comment\nA=1\n\nFROM_HOST\nMISSING\n".write(toFile: directory + "/env", atomically: true, encoding: .utf8)
        try "team=infra\n# x\ntier=db\n".write(toFile: directory + "/labels", atomically: true, encoding: .utf8)
        try "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ ]\n}\n"
            .write(toFile: directory + "/seccomp.json", atomically: true, encoding: .utf8)
        let request = try parse(["--env-file", directory + "/env", "-e", "HOME_X", "-e", "B=2",
                                 "--label-file", directory + "/labels", "-l", "tier=web",
                                 "--security-opt", "seccomp=" + directory + "/seccomp.json", "bb"],
                                environment: ["FROM_HOST": "yes", "HOME_X": "/root"])
        #expect(request.config.Env == ["A=1", "FROM_HOST=yes", "HOME_X=/root", "B=2"])
        #expect(request.config.Labels == ["team": "infra", "tier": "web"])
        // docker sends the profile's JSON, compacted, instead of the path.
        #expect(request.hostConfig?.SecurityOpt == [#"seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}"#])
    }

    @Test func cidfileRefusesAnExistingFile() throws {
        let path = NSTemporaryDirectory() + "splice-cid-\(UUID().uuidString.prefix(8))"
        try "old".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, stderr) = run(["run", "--cidfile", path, "bb"])
        #expect(status == 125)
        #expect(stderr == "splice: Container ID file found, make sure the other container isn't running or delete "
            + "\(path)\n\nRun 'splice run --help' for more information\n")
        // A failed create removes the file it made.
        let fresh = path + ".new"
        let (failed, _) = run(["run", "--cidfile", fresh, "bb"])
        #expect(failed == 125)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    static let flagErrors: [([String], String)] = [
        (["-c", "lots", "bb"], "invalid argument \"lots\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"lots\": invalid syntax"),
        (["--pids-limit", "x", "bb"], "invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"),
        (["--blkio-weight", "70000", "bb"], "invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range"),
        (["--dns", "ns1", "bb"], "invalid argument \"ns1\" for \"--dns\" flag: IP address is not correctly formatted: ns1"),
        (["--dns-search", "-bad-", "bb"], "invalid argument \"-bad-\" for \"--dns-search\" flag: -bad- is not a valid domain"),
        (["--add-host", "nohost", "bb"], "invalid argument \"nohost\" for \"--add-host\" flag: bad format for add-host: \"nohost\""),
        (["--add-host", "h:1.2.3", "bb"], "invalid argument \"h:1.2.3\" for \"--add-host\" flag: invalid IP address in add-host: \"1.2.3\""),
        (["--link", "a:b:c", "bb"], "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c"),
        (["-l", "=x", "bb"], "invalid argument \"=x\" for \"-l, --label\" flag: invalid label '=x': empty name"),
        (["-a", "stdall", "bb"], "invalid argument \"stdall\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR"),
        (["-m", "12q", "bb"], "invalid argument \"12q\" for \"-m, --memory\" flag: invalid size: '12q'"),
        (["--sig-proxy=maybe", "bb"], "invalid argument \"maybe\" for \"--sig-proxy\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"),
    ]

    @Test(arguments: flagErrors)
    func flagLevelErrors(arguments: [String], message: String) {
        let (status, stderr) = run(["run"] + arguments)
        #expect(status == 125)
        #expect(stderr == message + "\nSee 'splice run --help'.\n")
    }

    static let parseErrors: [([String], String)] = [
        (["--restart", "sometimes", "bb"], "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"),
        (["--restart", "always:3", "bb"], "invalid restart policy: maximum retry count can only be used with 'on-failure'"),
        (["--restart", "on-failure:x", "bb"], "invalid restart policy format: maximum retry count must be an integer"),
        (["--restart", ":1", "bb"], "invalid restart policy format: no policy provided before colon"),
        (["--rm", "--restart", "always", "bb"], "Conflicting options: --restart and --rm"),
        (["-d", "-a", "stdout", "bb"], "Conflicting options: -a and -d"),
        (["--security-opt", "label", "bb"], "Invalid --security-opt: \"label\""),
        (["--security-opt", "seccomp=/nonexistent/p.json", "bb"], "open /nonexistent/p.json: no such file or directory"),
        (["--device", "/dev/a:/dev/b:rwx", "bb"], "invalid device mode: rwx"),
        (["--device", "/dev/a:b", "bb"], "b is not an absolute path"),
        (["--device", "a:b:c:d", "bb"], "invalid device specification: a:b:c:d"),
        (["--mac-address", "92:d0:c6", "bb"], "92:d0:c6 is not a valid mac address"),
        (["--expose", "80-x", "bb"], "invalid range format for --expose: 80-x, error: strconv.ParseUint: parsing \"x\": invalid syntax"),
        (["--env-file", "/nonexistent/env", "bb"], "open /nonexistent/env: no such file or directory"),
    ]

    @Test(arguments: parseErrors)
    func parseLevelErrors(arguments: [String], message: String) {
        let (status, stderr) = run(["run"] + arguments)
        #expect(status == 125)
        #expect(stderr == "splice: \(message)\n\nRun 'splice run --help' for more information\n")
    }

    @Test func memoryUnits() throws {
        #expect(try DockerOpts.ramInBytes("512") == 512)
        #expect(try DockerOpts.ramInBytes("512b") == 512)
        #expect(try DockerOpts.ramInBytes("4k") == 4096)
        #expect(try DockerOpts.ramInBytes("64M") == 67_108_864)
        #expect(try DockerOpts.ramInBytes("1.5g") == 1_610_612_736)
        #expect(try DockerOpts.ramInBytes("2GiB") == 2_147_483_648)
        #expect(throws: DockerOpts.Failure.self) { try DockerOpts.ramInBytes("-1m") }
        #expect(throws: DockerOpts.Failure.self) { try DockerOpts.ramInBytes("m") }
    }

    @Test func ttyNeedsATerminal() {
        let (status, stderr) = run(["run", "-it", "bb", "sh"])
        #expect(status == 1)
        #expect(stderr == "the input device is not a TTY\n")
    }
}
