import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// exec, attach, logs -f, events, pause, top and restart policies through the real docker CLI against `spliced`.
@Suite("spliced services with the docker CLI", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct EngineServicesCLITests {
    @Test func execRunsCommandsInTheContainer() throws {
        let lab = try DaemonLab("exec")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "box", "-e", "FROM_RUN=1", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        let hi = try lab.docker(["exec", "box", "echo", "hi"])
        #expect(hi.status == 0, "\(hi.stderr)\n\(lab.daemonLog())")
        #expect(hi.stdout == "hi\n")
        #expect(try lab.docker(["exec", "-e", "X=42", "box", "sh", "-c", "echo $X $FROM_RUN"]).stdout == "42 1\n")
        #expect(try lab.docker(["exec", "-w", "/tmp", "box", "pwd"]).stdout == "/tmp\n")
        #expect(try lab.docker(["exec", "-u", "65534", "box", "id", "-u"]).stdout == "65534\n")
        #expect(try lab.docker(["exec", "box", "sh", "-c", "exit 3"]).status == 3)
        let missing = try lab.docker(["exec", "box", "nope"])
        #expect(missing.status == 127, "\(missing.stdout) \(missing.stderr)")
        #expect((missing.stdout + missing.stderr).contains("executable file not found"), "\(missing)")
        #expect(try lab.docker(["exec", "-i", "box", "cat"], input: "hi\n").stdout == "hi\n")
        let tty = try lab.docker(["exec", "-t", "box", "tty"])
        #expect(tty.stdout.hasPrefix("/dev/pts/"), "\(tty.stdout) \(tty.stderr)")
        let detached = try lab.docker(["exec", "-d", "box", "sh", "-c", "echo done > /tmp/marker"])
        #expect(detached.status == 0, "\(detached.stderr)")
        var marker = ""
        for _ in 0..<50 where marker.isEmpty {
            marker = try lab.docker(["exec", "box", "cat", "/tmp/marker"]).stdout
            if marker.isEmpty { usleep(100_000) }
        }
        #expect(marker == "done\n")
        let events = try lab.docker(["events", "--since", "0", "--until", String(Int(Date().timeIntervalSince1970) + 1),
                                     "--filter", "event=exec_die",
                                     "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}"])
        #expect(events.stdout.contains("exec_die: sh -c exit 3 3"), "\(events.stdout)")
        let stopped = try lab.docker(["run", "-d", "--net=none", "--name", "done", "bb", "true"])
        #expect(stopped.status == 0)
        _ = try lab.docker(["wait", "done"])
        let refused = try lab.docker(["exec", "done", "echo", "hi"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is not running"), "\(refused.stderr)")
    }

    @Test func stdinReachesRunAndAttach() throws {
        let lab = try DaemonLab("stdin")
        let piped = try lab.docker(["run", "-i", "--rm", "--net=none", "bb", "cat"], input: "hi\n")
        #expect(piped.status == 0, "\(piped.stderr)\n\(lab.daemonLog())")
        #expect(piped.stdout == "hi\n")
        let started = try lab.docker(["run", "-d", "--net=none", "--name", "talker", "bb", "sh", "-c",
                                      "sleep 1; echo later; sleep 1; echo end"])
        #expect(started.status == 0)
        let attached = try lab.docker(["attach", "talker"])
        #expect(attached.stdout.contains("end"), "\(attached.stdout) \(attached.stderr)")
        let cat = try lab.docker(["run", "-d", "-i", "--net=none", "--name", "catter", "bb", "cat"])
        #expect(cat.status == 0, "\(cat.stderr)")
        // The daemon ends the session on the detach keys (raw API: the CLI waits for the exit without a TTY).
        let session = try Self.rawAttach(socket: lab.socket, container: "catter", keys: "ctrl-x,x", sends: [
            Array("hello\n".utf8), [0x18], Array("x".utf8),
        ])
        #expect(session.closed, "the daemon kept the session open after the detach keys")
        #expect(String(decoding: session.output, as: UTF8.self).contains("hello\n"), "\(session.output)")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "catter"]).stdout == "running\n")
        let again = try Self.rawAttach(socket: lab.socket, container: "catter",
                                       sends: [Array("again\n".utf8), [16, 17]])
        #expect(again.closed && String(decoding: again.output, as: UTF8.self).contains("again\n"))
    }

    @Test func logsFollowShowsLaterLinesAndEndsAtExit() throws {
        let lab = try DaemonLab("logsf")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "writer", "bb", "sh", "-c",
                                  "echo first; sleep 2; echo second; echo oops >&2"])
        #expect(run.status == 0, "\(run.stderr)")
        usleep(500_000)
        let clock = ContinuousClock()
        let begin = clock.now
        let follow = try lab.docker(["logs", "-f", "writer"])
        #expect(follow.status == 0)
        #expect(follow.stdout == "first\nsecond\n")
        #expect(follow.stderr == "oops\n")
        #expect(clock.now - begin < .seconds(10))
        let tail = try lab.docker(["logs", "--tail", "1", "writer"])
        #expect(tail.stdout.isEmpty && tail.stderr == "oops\n")
        let stamped = try lab.docker(["logs", "-t", "writer"]).stdout
        #expect(stamped.contains("Z first\n"), "\(stamped)")
        let future = try lab.docker(["logs", "--since", String(Int(Date().timeIntervalSince1970) + 100), "writer"])
        #expect(future.stdout.isEmpty && future.stderr.isEmpty)
    }

    @Test func eventsReplayTheLifecycle() throws {
        let lab = try DaemonLab("events")
        let since = String(Int(Date().timeIntervalSince1970) - 1)
        let run = try lab.docker(["run", "--name", "ev", "--net=none", "bb", "true"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try lab.docker(["rm", "ev"]).status == 0)
        let until = String(Int(Date().timeIntervalSince1970) + 1)
        let events = try lab.docker(["events", "--since", since, "--until", until, "--filter", "container=ev",
                                     "--format", "{{.Type}} {{.Action}}"])
        #expect(events.status == 0, "\(events.stderr)")
        let actions = events.stdout.split(separator: "\n").map(String.init)
        for wanted in ["container create", "container start", "container die", "container destroy"] {
            #expect(actions.contains(wanted), "\(actions)")
        }
        let start = try #require(actions.firstIndex(of: "container start"))
        let die = try #require(actions.firstIndex(of: "container die"))
        #expect(start < die)
        let bridged = try lab.docker(["run", "--rm", "--name", "net", "bb", "true"])
        #expect(bridged.status == 0, "\(bridged.stderr)")
        let later = String(Int(Date().timeIntervalSince1970) + 1)
        let network = try lab.docker(["events", "--since", since, "--until", later,
                                      "--filter", "type=network", "--format", "{{.Action}}"])
        #expect(network.stdout.contains("connect") && network.stdout.contains("disconnect"), "\(network.stdout)")
    }

    @Test func pauseFreezesAndUnpauseResumes() throws {
        let lab = try DaemonLab("pause")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "frozen", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)")
        let pid = try lab.docker(["inspect", "-f", "{{.State.Pid}}", "frozen"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let paused = try lab.docker(["pause", "frozen"])
        #expect(paused.status == 0, "\(paused.stderr)\n\(lab.daemonLog())")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "frozen"]).stdout
                == "paused true\n")
        #expect(try lab.docker(["ps", "--format", "{{.Status}}"]).stdout.contains("(Paused)"))
        #expect(Self.processState(pid) == "frozen")
        #expect(try lab.docker(["pause", "frozen"]).stderr.contains("is already paused"))
        #expect(try lab.docker(["exec", "frozen", "true"]).stderr.contains("is paused"))
        #expect(try lab.docker(["ps", "-q", "--filter", "status=paused"]).stdout.count == 13)
        #expect(try lab.docker(["unpause", "frozen"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "frozen"]).stdout == "running\n")
        #expect(Self.processState(pid) != "frozen")
        #expect(try lab.docker(["unpause", "frozen"]).stderr.contains("is not paused"))
        #expect(try lab.docker(["pause", "frozen"]).status == 0)
        let stop = try lab.docker(["stop", "-t", "1", "frozen"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "frozen"]).stdout == "exited\n")
    }

    /// The freezer's view of `pid`: `frozen` when its cgroup reports FROZEN / frozen 1, else its `State:` line.
    static func processState(_ pid: String) -> String? {
        guard let cgroups = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        for line in cgroups.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { continue }
            if parts[1] == "freezer",
               let state = try? String(contentsOfFile: "/sys/fs/cgroup/freezer\(parts[2])/freezer.state",
                                       encoding: .utf8),
               state.hasPrefix("FROZEN") { return "frozen" }
            if parts[1].isEmpty,
               let events = try? String(contentsOfFile: "/sys/fs/cgroup/unified\(parts[2])/cgroup.events",
                                        encoding: .utf8),
               events.contains("frozen 1") { return "frozen" }
        }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("State:") }.map(String.init)
    }

    @Test func topListsTheContainersProcesses() throws {
        let lab = try DaemonLab("top")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "toplab", "bb", "sh", "-c",
                                  "sleep 61 & sleep 62"])
        #expect(run.status == 0, "\(run.stderr)")
        usleep(300_000)
        let top = try lab.docker(["top", "toplab"])
        #expect(top.status == 0, "\(top.stderr)\n\(lab.daemonLog())")
        #expect(top.stdout.contains("PID"))
        #expect(top.stdout.contains("sleep 61") && top.stdout.contains("sleep 62"), "\(top.stdout)")
        #expect(!top.stdout.contains("spliced"))
        let custom = try lab.docker(["top", "toplab", "-o", "pid,comm"])
        #expect(custom.stdout.contains("COMMAND") || custom.stdout.contains("COMM"), "\(custom.stdout)")
    }

    @Test func onFailureRestartsTwice() throws {
        let lab = try DaemonLab("onfail")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "failing", "--restart", "on-failure:2", "bb",
                                  "sh", "-c", "exit 1"])
        #expect(run.status == 0, "\(run.stderr)")
        var state = ""
        for _ in 0..<100 {
            state = try lab.docker(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "failing"]).stdout
            if state == "exited 2\n" { break }
            usleep(100_000)
        }
        #expect(state == "exited 2\n", "\(lab.daemonLog())")
        usleep(1_000_000)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "failing"]).stdout
                == "exited 2\n")
    }

    /// An exited container's network is released in the background; a start right after the exit (the user's, or
    /// its restart policy's) still gets a whole network each time.
    @Test func aBridgeContainerStartedRightAfterItsExitGetsItsNetworkEachTime() throws {
        let lab = try DaemonLab("again")
        let show = ["ip", "-o", "-4", "addr", "show", "eth0"]
        let first = try lab.docker(["run", "--name", "quick", "bb"] + show)
        #expect(first.status == 0 && first.stdout.contains("inet 172."), "\(first.stdout)\(first.stderr)")
        for round in 0..<10 {
            let start = try lab.docker(["start", "-a", "quick"])
            #expect(start.status == 0 && start.stdout.contains("inet 172."),
                    "round \(round): \(start.stdout)\(start.stderr)\n\(lab.daemonLog())")
        }
        #expect(try lab.docker(["rm", "quick"]).status == 0)
        let run = try lab.docker(["run", "-d", "--name", "flaky", "--restart", "on-failure:3", "bb", "sh", "-c",
                                  "ip -o -4 addr show eth0 | grep -q 'inet 172' && echo up; exit 1"])
        #expect(run.status == 0, "\(run.stderr)")
        var state = ""
        for _ in 0..<100 {
            state = try lab.docker(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "flaky"]).stdout
            if state == "exited 3\n" { break }
            usleep(100_000)
        }
        #expect(state == "exited 3\n")
        #expect(try lab.docker(["logs", "flaky"]).stdout == "up\nup\nup\nup\n", "every run had its address")
        #expect(try lab.docker(["rm", "flaky"]).status == 0)
    }

    @Test func alwaysRestartsAfterAKillFromTheHostButNotAfterStop() throws {
        let lab = try DaemonLab("always")
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "keeper", "--restart", "always", "bb", "sleep",
                                  "60"])
        #expect(run.status == 0, "\(run.stderr)")
        let firstPid = try #require(Int32(try lab.docker(["inspect", "-f", "{{.State.Pid}}", "keeper"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(firstPid, SIGKILL) == 0)
        var restarted = false
        for _ in 0..<100 where !restarted {
            let line = try lab.docker(["inspect", "-f", "{{.State.Status}} {{.State.Pid}} {{.RestartCount}}",
                                       "keeper"]).stdout
            let parts = line.split(separator: " ")
            restarted = parts.first == "running" && parts.count == 3 && Int32(parts[1]) != firstPid && parts[2] == "1\n"
            if !restarted { usleep(100_000) }
        }
        #expect(restarted, "\(lab.daemonLog())")
        let stop = try lab.docker(["stop", "-t", "1", "keeper"])
        #expect(stop.status == 0)
        usleep(500_000)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "keeper"]).stdout == "exited\n")
        let restart = try lab.docker(["restart", "-t", "1", "keeper"])
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "keeper"]).stdout
                == "running 0\n")
    }

    @Test func daemonStartBringsBackAlwaysButNotStoppedUnlessStopped() throws {
        let lab = try DaemonLab("boot")
        let policies = [("always-on", "always"), ("unless-off", "unless-stopped"), ("unless-on", "unless-stopped")]
        for (name, policy) in policies {
            let run = try lab.docker(["run", "-d", "--net=none", "--name", name, "--restart", policy, "bb", "sleep",
                                      "60"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try lab.docker(["stop", "-t", "1", "always-on", "unless-off"]).status == 0)
        // unless-on is killed behind the daemon's back while it is down.
        let pid = try #require(Int32(try lab.docker(["inspect", "-f", "{{.State.Pid}}", "unless-on"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        lab.stopDaemon()
        kill(pid, SIGKILL)
        usleep(300_000)
        try lab.startDaemon()
        var states: [String: String] = [:]
        for _ in 0..<50 {
            for name in ["always-on", "unless-off", "unless-on"] {
                states[name] = try lab.docker(["inspect", "-f", "{{.State.Status}}", name]).stdout
            }
            if states["always-on"] == "running\n" && states["unless-on"] == "running\n" { break }
            usleep(100_000)
        }
        #expect(states["always-on"] == "running\n", "\(states)\n\(lab.daemonLog())")
        #expect(states["unless-on"] == "running\n", "\(states)")
        #expect(states["unless-off"] == "exited\n", "\(states)")
    }

    /// Attaches to `container` through the raw API with stdin, sends each chunk 300 ms apart, and reads until the
    /// daemon closes the stream (or 5 s pass): the bytes after the headers, and whether it closed.
    static func rawAttach(socket path: String, container: String, keys: String? = nil, sends: [[UInt8]]) throws
        -> (output: [UInt8], closed: Bool)
    {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(command: "socket", status: errno, stderr: "") }
        defer { close(fd) }
        guard var address = sockaddr_un(path: path) else {
            throw CommandFailure(command: "connect", status: ENAMETOOLONG, stderr: path)
        }
        let connected = withSocketAddress(&address) { connect(fd, $0, $1) }
        guard connected == 0 else { throw CommandFailure(command: "connect", status: errno, stderr: path) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let query = keys.map { "&detachKeys=" + $0 } ?? ""
        let request = "POST /containers/\(container)/attach?stream=1&stdin=1&stdout=1&stderr=1\(query) HTTP/1.1\r\n"
            + "Host: splice\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
        _ = Array(request.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(10) || String(decoding: received, as: UTF8.self).range(of: "\r\n\r\n") == nil {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return (received, count == 0) }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let headerEnd = text.utf8.count - (text.range(of: "\r\n\r\n").map { text[$0.upperBound...].utf8.count } ?? 0)
        var output = Array(received[headerEnd...])
        for chunk in sends {
            usleep(300_000)
            _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return (output, true) }
            if count < 0 { return (output, false) }
            output += buffer[0..<count]
        }
    }
}
