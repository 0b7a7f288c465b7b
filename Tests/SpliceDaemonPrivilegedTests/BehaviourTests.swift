import Foundation
import Glibc
import TestSupport
import Testing

extension DaemonLab {
    /// Whether the lab's `spliced` is still alive and answering.
    func daemonAnswers() throws -> Bool {
        guard kill(daemonPid, 0) == 0 else { return false }
        return try docker(["version", "-f", "{{.Server.Version}}"]).status == 0
    }

    /// The HTTP status and body of `METHOD path` on the lab's socket (`body` as JSON).
    func request(_ path: String, method: String = "GET", body: String? = nil) throws -> (status: Int, body: String) {
        var arguments = ["-sS", "--max-time", "5", "-X", method, "-w", "\n%{http_code}", "--unix-socket", socket]
        if let body { arguments += ["-H", "Content-Type: application/json", "-d", body] }
        let result = try runStatus("/usr/bin/curl", arguments + ["http://localhost" + path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// Runs `splice` against the lab's daemon with `environment` (SPLICE_HOST set unless given).
    func splice(_ arguments: [String], environment: [String: String]? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let variables = environment ?? ["SPLICE_HOST": "unix://\(socket)"]
        return try runStatus("/usr/bin/env", ["-i"] + variables.map { "\($0.key)=\($0.value)" }
            + ["/usr/bin/timeout", "-s", "KILL", "60", DaemonLab.binary("splice", environment: "SPLICE_BIN")]
            + arguments)
    }

    /// The HTTP status of `GET http://127.0.0.1:port/` from the daemon's host namespace (000 when nothing answers).
    func httpStatus(port: String) -> String {
        var status = "000"
        for _ in 0..<40 {
            status = (try? runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(namespaceName)", "/usr/bin/curl", "-s",
                                                          "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                                                          "http://127.0.0.1:\(port)/"]))?.stdout ?? "000"
            if status != "000" { break }
            usleep(100_000)
        }
        return status
    }
}

/// What users hit on day one, through the real docker CLI (and `splice`) against `spliced`: inputs that crashed it,
/// filters, exit codes, publishing, host networking, capabilities, and options that were dropped.
@Suite("Docker behaviour of spliced through the docker CLI", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct BehaviourTests {
    @Test("empty label filters, overflowing times and bad filters answer instead of killing spliced")
    func crashInputsAndFilters() throws {
        let lab = try DaemonLab("crash")
        let created = try lab.docker(["create", "--net=none", "--label", "a=1", "--name", "c1", "bb", "true"])
        try #require(created.status == 0, "\(created.stderr)")
        let empty = try lab.docker(["ps", "-a", "-q", "-f", "label="])
        #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty.stderr)")
        let labelled = try lab.docker(["ps", "-a", "--format", "{{.Names}}", "-f", "label=a=1"])
        #expect(labelled.stdout == "c1\n", "\(labelled.stderr)")
        for filters in [#"{"label":["="]}"#, #"{"label":{"":true}}"#] {
            let escaped = try #require(filters.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let answer = try lab.request("/v1.41/containers/json?all=1&filters=" + escaped)
            #expect(answer.status == 200 && answer.body == "[]\n", "\(filters): \(answer)")
        }
        #expect(try lab.daemonAnswers(), "\(lab.daemonLog())")
        for query in ["since=99999999999&until=99999999999", "until=9223372036.999999999&since=0",
                      "since=-9223372037&until=1"] {
            let answer = try lab.request("/v1.41/events?" + query)
            #expect(answer.status == 200, "\(query): \(answer)")
        }
        let logs = try lab.docker(["logs", "--since", "99999999999", "c1"])
        #expect(logs.status == 0, "\(logs.stderr)")
        let longStop = try lab.request("/v1.41/containers/c1/stop?t=9223372036854775807", method: "POST")
        #expect(longStop.status == 304, "\(longStop)")
        for exposed in ["", "x/tcp", "70000", "/udp"] {
            let body = #"{"Image":"bb","HostConfig":{"PublishAllPorts":true},"ExposedPorts":{"\#(exposed)":{}}}"#
            let answer = try lab.request("/v1.41/containers/create", method: "POST", body: body)
            #expect(answer.status == 400 && answer.body.contains("invalid port specification"), "\(exposed): \(answer)")
        }
        #expect(try lab.daemonAnswers(), "\(lab.daemonLog())")

        let unknownKey = try lab.docker(["ps", "-f", "nope=1"])
        #expect(unknownKey.status == 1 && unknownKey.stderr.contains("invalid filter 'nope'"), "\(unknownKey.stderr)")
        let since = try lab.docker(["ps", "-f", "since=nope"])
        #expect(since.status == 1 && since.stderr.contains("No such container: nope"), "\(since.stderr)")
        let exited = try lab.docker(["ps", "-a", "-f", "exited=x"])
        #expect(exited.status == 1 && exited.stderr.contains("invalid filter 'exited=x'"), "\(exited.stderr)")
        #expect(try lab.request("/v1.41/events?since=nope").status == 400)
        let eventKey = try lab.request("/v1.41/events?until=1&filters=%7B%22nope%22%3A%5B%22x%22%5D%7D")
        #expect(eventKey.status == 400 && eventKey.body.contains("invalid filter 'nope'"), "\(eventKey)")
        _ = try lab.docker(["create", "--net=none", "--name", "c2", "bb", "true"])
        let after = try lab.docker(["ps", "-a", "--format", "{{.Names}}", "-f", "since=c1"])
        #expect(after.stdout == "c2\n", "\(after.stderr)")
        let before = try lab.docker(["ps", "-a", "--format", "{{.Names}}", "-f", "before=c2"])
        #expect(before.stdout == "c1\n", "\(before.stderr)")
        // The client refuses what it cannot represent, instead of crashing.
        let memory = try lab.splice(["run", "--rm", "--net=none", "-m", "9999999999g", "bb", "true"])
        #expect(memory.status == 125 && memory.stderr.contains("value out of range"), "\(memory.stderr)")
    }

    @Test("exit codes 127 and 126 for a command that is missing or cannot run; a failed --rm start is removed")
    func startFailures() throws {
        let lab = try DaemonLab("exits")
        let missing = try lab.docker(["run", "--net=none", "--name", "missing", "bb", "/no/such/binary"])
        #expect(missing.status == 127, "\(missing.stderr)")
        #expect(missing.stderr.contains("no such file or directory"), "\(missing.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{.State.ExitCode}}", "missing"]).stdout == "127\n")
        let notInPath = try lab.docker(["run", "--rm", "--net=none", "bb", "nosuchcommand"])
        #expect(notInPath.status == 127 && notInPath.stderr.contains("executable file not found"),
                "\(notInPath.stderr)")
        let directory = try lab.docker(["run", "--rm", "--net=none", "bb", "/etc"])
        #expect(directory.status == 126, "\(directory.stderr)")
        let viaSplice = try lab.splice(["run", "--rm", "--net=none", "bb", "/no/such/binary"])
        #expect(viaSplice.status == 127, "\(viaSplice.stderr)")
        // An unknown network and a missing container: dockerd's start errors (no pull attempt), --rm removed.
        let network = try lab.docker(["run", "--rm", "--net", "nosuch", "bb", "true"])
        #expect(network.status == 125 && network.stderr.contains("network nosuch not found"), "\(network.stderr)")
        let container = try lab.docker(["run", "--rm", "--net", "container:nonexist", "bb", "true"])
        #expect(container.status == 125 && container.stderr.contains("No such container: nonexist"),
                "\(container.stderr)")
        #expect(!network.stderr.contains("pull") && !container.stderr.contains("pull"))
        let left = try lab.docker(["ps", "-a", "--format", "{{.Names}}"])
        #expect(left.stdout == "missing\n", "\(left.stdout)")
        // -v with a missing host path creates it, as Docker does.
        let source = lab.directory + "/made/by/run"
        let bind = try lab.docker(["run", "--rm", "--net=none", "-v", source + ":/x", "bb", "true"])
        #expect(bind.status == 0, "\(bind.stderr)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) && isDirectory.boolValue)
        // Cmd given as a string, as Docker's StrSlice takes it.
        let create = try lab.request("/v1.41/containers/create?name=string", method: "POST",
                                     body: #"{"Image":"bb","Cmd":"true","HostConfig":{"NetworkMode":"none"}}"#)
        #expect(create.status == 201, "\(create)")
        #expect(try lab.docker(["inspect", "-f", "{{json .Config.Cmd}}", "string"]).stdout == "[\"true\"]\n")
    }

    @Test("an --rm container's own layer is mounted volatile, a kept one's is not; restart keeps an --rm container")
    func autoRemoveLayerAndRestart() throws {
        let lab = try DaemonLab("rmlayer")
        let root = ["sh", "-c", "grep ' / / ' /proc/self/mountinfo"]
        let removed = try lab.docker(["run", "--rm", "--net=none", "bb"] + root)
        #expect(removed.status == 0 && removed.stdout.contains("overlay") && removed.stdout.contains("volatile"),
                "\(removed.stdout) \(removed.stderr)")
        let kept = try lab.splice(["run", "--name", "kept", "--net=none", "bb"] + root)
        #expect(kept.status == 0 && kept.stdout.contains("overlay") && !kept.stdout.contains("volatile"),
                "\(kept.stdout) \(kept.stderr)")
        // dockerd restarts an --rm container instead of removing it; its layer, marked by the volatile mount,
        // mounts again and keeps what the first run wrote.
        let started = try lab.docker(["run", "-d", "--rm", "--name", "again", "--net=none", "bb", "sh", "-c",
                                      "echo first >> /runs; exec sleep 60"])
        try #require(started.status == 0, "\(started.stderr)")
        let restarted = try lab.docker(["restart", "-t", "0", "again"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let runs = try lab.splice(["exec", "again", "cat", "/runs"])
        #expect(runs.stdout == "first\nfirst\n", "\(runs.stdout) \(runs.stderr)")
        #expect(try lab.docker(["rm", "-f", "again"]).status == 0)
        let left = try lab.docker(["ps", "-a", "--format", "{{.Names}}"])
        #expect(left.stdout == "kept\n", "\(left.stdout)")
    }

    @Test("-P publishes every exposed port; -p ranges through splice; --net=host takes the host's name")
    func publishing() throws {
        let lab = try DaemonLab("publish")
        let imported = try lab.docker(["import", "-c", "EXPOSE 9090/tcp", lab.directory + "/bb.tar", "bbx"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let serve = "mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www && httpd -f -p 9090 -h /www"
        let run = try lab.docker(["run", "-d", "-P", "--expose", "8080", "--name", "web", "bbx", "sh", "-c", serve])
        try #require(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        for port in ["8080/tcp", "9090/tcp"] {
            let mapped = try lab.docker(["port", "web", port]).stdout
            let hostPort = try #require(mapped.split(separator: "\n").first?.split(separator: ":").last,
                                        "\(port): \(mapped)")
            #expect(lab.httpStatus(port: String(hostPort)) == "200", "\(port) -> \(hostPort)")
        }
        let ps = try lab.docker(["ps", "--format", "{{.Ports}}"]).stdout
        #expect(ps.contains("->8080/tcp") && ps.contains("->9090/tcp"), "\(ps)")
        let inspect = try lab.docker(["inspect", "-f", "{{json .NetworkSettings.Ports}}", "web"]).stdout
        #expect(inspect.contains("\"8080/tcp\":[{") && inspect.contains("\"9090/tcp\":[{"), "\(inspect)")

        let filtered = try lab.docker(["ps", "--format", "{{.Names}}", "-f", "expose=9090", "-f", "publish=8000-8080",
                                       "-f", "network=bridge", "-f", "is-task=false"])
        #expect(filtered.stdout == "web\n", "\(filtered.stderr)")
        #expect(try lab.docker(["ps", "-q", "-f", "publish=81"]).stdout.isEmpty)
        #expect(try lab.docker(["ps", "-q", "-f", "network=host"]).stdout.isEmpty)
        let range = try lab.splice(["run", "-d", "--name", "range", "-p", "18000-18002:8000-8002", "bb", "sleep", "60"])
        #expect(range.status == 0, "\(range.stderr)")
        let ports = try lab.docker(["port", "range"]).stdout
        for port in 8000...8002 { #expect(ports.contains("\(port)/tcp -> 0.0.0.0:1\(port)"), "\(ports)") }
        let local = try lab.splice(["run", "-d", "-p", "127.0.0.1::8000/tcp", "-p", "127.0.0.1:18010-18020:80",
                                    "bb", "true"])
        #expect(local.status == 0, "\(local.stderr)")
        // Exposed without publishing: listed as dockerd lists it, a null binding in inspect.
        #expect(try lab.docker(["run", "-d", "--name", "exposed", "--expose", "7000", "bb", "sleep", "60"]).status == 0)
        #expect(try lab.docker(["ps", "-f", "name=exposed", "--format", "{{.Ports}}"]).stdout == "7000/tcp\n")
        let null = try lab.docker(["inspect", "-f", "{{json .NetworkSettings.Ports}}", "exposed"]).stdout
        #expect(null == "{\"7000/tcp\":null}\n", "\(null)")
        let zero = try lab.docker(["run", "-d", "--name", "zero", "-p", "0:80", "bb", "sleep", "60"])
        #expect(zero.status == 0, "\(zero.stderr)")
        let dynamic = try lab.docker(["port", "zero", "80"]).stdout
        #expect(dynamic.hasPrefix("0.0.0.0:") && !dynamic.hasPrefix("0.0.0.0:0\n"), "\(dynamic)")

        var buffer = [CChar](repeating: 0, count: 256)
        try #require(gethostname(&buffer, 255) == 0)
        let hostName = String(cString: buffer)
        let host = try lab.docker(["run", "--rm", "--net=host", "bb", "hostname"])
        #expect(host.stdout == hostName + "\n", "\(host.stderr)")
        // DOCKER_HOST is honoured by splice when SPLICE_HOST is unset.
        let viaDockerHost = try lab.splice(["ps", "-q", "-f", "name=web"],
                                           environment: ["DOCKER_HOST": "unix://\(lab.socket)"])
        #expect(viaDockerHost.status == 0 && !viaDockerHost.stdout.isEmpty, "\(viaDockerHost.stderr)")
    }

    @Test("--privileged, --mac-address, --stop-signal, --add-host host-gateway and --cpus are honoured")
    func honouredOptions() throws {
        let lab = try DaemonLab("options")
        let daemonStatus = try String(contentsOfFile: "/proc/\(lab.daemonPid)/status", encoding: .utf8)
        let daemonCaps = daemonStatus.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
        let privileged = try lab.docker(["run", "--rm", "--net=none", "--privileged", "bb", "grep", "CapEff:",
                                         "/proc/self/status"])
        #expect(privileged.stdout == (daemonCaps.map { String($0) } ?? "?") + "\n", "\(privileged.stderr)")

        let mac = "02:42:ac:11:99:42"
        // (docker 28 sends --mac-address only to API 1.44 and later; splice sends Config.MacAddress.)
        let withMAC = try lab.splice(["run", "--rm", "--mac-address", mac, "bb", "cat", "/sys/class/net/eth0/address"])
        #expect(withMAC.stdout == mac + "\n", "\(withMAC.stderr)\n\(lab.daemonLog())")
        #expect(try lab.docker(["run", "-d", "--net=none", "--name", "base", "bb", "sleep", "60"]).status == 0)
        let conflict = try lab.splice(["run", "--rm", "--net=container:base", "--mac-address", mac, "bb", "true"])
        #expect(conflict.status == 125 && conflict.stderr.contains("conflicting options: mac-address and the network"
            + " mode"), "\(conflict.stderr)")

        let trap = "trap 'echo got-usr1; exit 3' USR1; while true; do sleep 0.1; done"
        #expect(try lab.docker(["run", "-d", "--net=none", "--stop-signal", "USR1", "--name", "sig", "bb", "sh", "-c",
                                trap]).status == 0)
        usleep(300_000)
        #expect(try lab.docker(["stop", "sig"]).status == 0)
        let stopped = try lab.docker(["inspect", "-f", "{{.State.ExitCode}} {{.Config.StopSignal}}", "sig"]).stdout
        #expect(stopped == "3 USR1\n", "\(stopped)")
        #expect(try lab.docker(["logs", "sig"]).stdout == "got-usr1\n")
        // An image's STOPSIGNAL applies when the run names none.
        let imported = try lab.docker(["import", "-c", "STOPSIGNAL SIGUSR2", lab.directory + "/bb.tar", "bbsig"])
        try #require(imported.status == 0, "\(imported.stderr)")
        #expect(try lab.docker(["create", "--net=none", "--name", "fromimage", "bbsig", "true"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.Config.StopSignal}}", "fromimage"]).stdout == "SIGUSR2\n")

        let hosts = try lab.docker(["run", "--rm", "--add-host", "gw:host-gateway", "bb", "grep", "gw", "/etc/hosts"])
        #expect(hosts.stdout.hasPrefix("172.18.0.1") && hosts.stdout.contains("gw"), "\(hosts.stdout)\(hosts.stderr)")

        let cpus = try lab.docker(["run", "-d", "--net=none", "--cpus", "1.5", "--name", "quota", "bb", "sleep", "60"])
        #expect(cpus.status == 0, "\(cpus.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{.HostConfig.NanoCpus}}", "quota"]).stdout == "1500000000\n")
        let id = try lab.containerID("quota")
        let quotas = DaemonLab.cgroupDirectories(of: id).compactMap { directory -> String? in
            let v1 = try? String(contentsOfFile: directory + "/cpu.cfs_quota_us", encoding: .utf8)
            let v2 = try? String(contentsOfFile: directory + "/cpu.max", encoding: .utf8)
            return v1 ?? v2
        }
        #expect(quotas.contains("150000\n") || quotas.contains("150000 100000\n"), "\(quotas)")
    }

    @Test("spliced -b none runs default-network containers with loopback only; --host-gateway-ip names host-gateway")
    func withoutBridge() throws {
        let lab = try DaemonLab("nobr", daemonArguments: ["-b", "none", "--host-gateway-ip", "192.0.2.7"])
        let links = try lab.docker(["run", "--rm", "bb", "ls", "/sys/class/net"])
        #expect(links.stdout == "lo\n", "\(links.stderr)\n\(lab.daemonLog())")
        let hosts = try lab.docker(["run", "--rm", "--net=none", "--add-host", "gw:host-gateway", "bb", "grep", "gw",
                                    "/etc/hosts"])
        #expect(hosts.stdout.hasPrefix("192.0.2.7") && hosts.stdout.contains("gw"), "\(hosts.stdout)\(hosts.stderr)")
        #expect(try !lab.hasLink("splice0"))
    }
}

extension DaemonLab {
    /// Whether the daemon's namespace has an interface called `name`.
    func hasLink(_ name: String) throws -> Bool {
        try runStatus("/usr/sbin/ip", ["-n", namespaceName, "link", "show", name]).status == 0
    }
}
