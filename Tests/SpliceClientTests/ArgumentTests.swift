import DockerModels
import Testing
@testable import SpliceClient

@Suite("Command-line parsing")
struct ArgumentTests {
    func usage(_ name: String, _ arguments: [String]) -> (Int32, String) {
        let captured = CapturedConsole()
        var context = CommandContext(client: DockerClient(endpoint: .unix(path: "/nonexistent/splice.sock")),
                                     console: captured.console, now: { 0 })
        context.terminalFD = nil
        return (SpliceCLI.run(name, arguments, context: context), captured.stderr)
    }

    @Test func flagsCombineAndTakeValues() throws {
        let scanner = ArgumentScanner(command: "ps", flags: [.init("all", "a"), .init("quiet", "q"),
                                                             .init("last", "n", value: true), .init("filter", "f", value: true)])
        let parsed = try scanner.scan(["-aq", "-n3", "--filter=status=exited", "-f", "name=cap_"])
        #expect(parsed.bool("all") && parsed.bool("quiet"))
        #expect(try scanner.integer(parsed, "last") == 3)
        #expect(parsed.all("filter") == ["status=exited", "name=cap_"])
    }

    static let bad: [(String, [String], String)] = [
        ("ps", ["--bogus"], "unknown flag: --bogus\nSee 'splice ps --help'.\n"),
        ("ps", ["-x"], "unknown shorthand flag: 'x' in -x\nSee 'splice ps --help'.\n"),
        ("ps", ["-n", "x"], "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'splice ps --help'.\n"),
        ("ps", ["-f", "status"], "invalid argument \"status\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n"),
        ("logs", ["--tail", "lots", "c"], "invalid argument \"lots\" for \"-n, --tail\" flag: expected a number or \"all\"\n"),
        ("stop", ["-t", "soon", "c"], "invalid argument \"soon\" for \"-t, --time\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax\nSee 'splice stop --help'.\n"),
        ("inspect", ["--format"], "flag needs an argument: --format\nSee 'splice inspect --help'.\n"),
        ("run", ["-p", "99999:80", "bb"],
         "splice: invalid hostPort: 99999\n\nRun 'splice run --help' for more information\n"),
        ("run", ["-m", "lots", "bb"], "invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'\nSee 'splice run --help'.\n"),
    ]

    @Test(arguments: bad)
    func badValues(command: String, arguments: [String], message: String) {
        let (status, stderr) = usage(command, arguments)
        #expect(status == 125)
        #expect(stderr == message)
    }

    @Test(arguments: ["rm", "logs", "inspect", "stop", "kill", "start", "wait", "port", "top", "rmi", "tag", "import"])
    func missingArguments(command: String) {
        let (status, stderr) = usage(command, [])
        #expect(status == 125)
        #expect(stderr.hasPrefix("\"splice \(command)\" requires"))
    }

    @Test func runBody() throws {
        let scanner = ArgumentScanner(command: "run", flags: SpliceCLI.runFlags, interspersed: false)
        let parsed = try scanner.scan(["-d", "--rm", "-e", "FOO=bar", "-w", "/tmp", "-u", "1000:1000", "-h", "myhost",
                                       "-p", "127.0.0.1:18080:8080", "-p", "18081:8081/udp", "-v", "/data",
                                       "-v", "/h:/host:ro", "-m", "64m", "--net", "host", "--entrypoint", "/bin/echo",
                                       "bb", "-n", "hi"])
        let (request, name) = try SpliceCLI.createRequest(parsed, detach: true)
        #expect(name == nil)
        #expect(request.config.Cmd == ["-n", "hi"])
        #expect(request.config.Env == ["FOO=bar"])
        #expect(request.config.User == "1000:1000")
        #expect(request.config.Hostname == "myhost")
        #expect(request.config.Entrypoint == ["/bin/echo"])
        #expect(request.config.Volumes == ["/data": EmptyObject()])
        #expect(request.config.AttachStdout == false)
        #expect(request.hostConfig?.AutoRemove == true)
        #expect(request.hostConfig?.Memory == 67_108_864)
        #expect(request.hostConfig?.NetworkMode == "host")
        #expect(request.hostConfig?.Binds == ["/h:/host:ro"])
        #expect(request.hostConfig?.PortBindings?["8080/tcp"] == [.init(HostIp: "127.0.0.1", HostPort: "18080")])
        #expect(request.hostConfig?.PortBindings?["8081/udp"] == [.init(HostIp: "", HostPort: "18081")])
    }

    @Test func filtersUseTheMapForm() throws {
        #expect(try SpliceCLI.filtersJSON(["status=exited", "name=cap_"]) == #"{"name":{"cap_":true},"status":{"exited":true}}"#)
        #expect(try SpliceCLI.filtersJSON([]) == nil)
    }

    @Test func sinceValues() throws {
        #expect(try Timestamp.unix("1795972922", now: 0) == "1795972922")
        #expect(try Timestamp.unix("10m", now: 1000) == "400")
        #expect(try Timestamp.unix("2026-11-29T17:20:41Z", now: 0) == "1795972841")
        #expect(throws: ClientError.self) { try Timestamp.unix("yesterday", now: 0) }
    }
}
