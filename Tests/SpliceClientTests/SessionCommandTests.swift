import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

/// A pipe holding `text`, its write end closed: what `echo text | splice ...` gives the CLI as stdin.
final class StdinPipe: Sendable {
    let pipe = Pipe()
    var fd: Int32 { pipe.fileHandleForReading.fileDescriptor }

    init(_ text: String) throws {
        try pipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try pipe.fileHandleForWriting.close()
    }
}

@Suite("exec, attach, start -ai, events, logs -f, top, pause through the fake engine")
struct SessionCommandTests {
    @Test func execForwardsStdinAndExitsWithTheExecCode() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let stdin = try StdinPipe("typed")
        let result = try await server.splice(["exec", "-i", "-u", "nobody", "-e", "A=1", "-e", "FROM_ENV", "-w", "/tmp",
                                              "--privileged", "cap_main", "sh", "-c", "cat"],
                                             stdin: stdin.fd, environment: ["FROM_ENV": "x"])
        #expect(result.stdout == "hello world\nstdin:typed")
        #expect(result.stderr == "oops\n")
        #expect(result.status == 5)
        let calls = server.engine.calls
        #expect(calls.contains("createExec(cap_main, [\"sh\", \"-c\", \"cat\"])"))
        #expect(calls.contains("execConfig(user: nobody, env: [\"A=1\", \"FROM_ENV=x\"], workdir: /tmp, tty: false, "
            + "stdin: true, detach: false, privileged: true)"))
        #expect(calls.contains { $0.hasPrefix("startExec(") && $0.hasSuffix("tty: false)") })
        #expect(calls.last?.hasPrefix("exec(") == true)
    }

    @Test func execDetachedAndErrors() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let detached = try await server.splice(["exec", "-d", "cap_main", "touch", "/x"])
        #expect(detached.status == 0 && detached.stdout.isEmpty)
        #expect(server.engine.calls.contains { $0.hasPrefix("startExecDetached(") })
        #expect(server.engine.calls.contains { $0.contains("stdin: false, detach: true") })
        let missing = try await server.splice(["exec", "nosuch", "true"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error response from daemon: No such container: nosuch\n")
        let usage = try await server.splice(["exec", "cap_main"])
        #expect(usage.status == 125 && usage.stderr.hasPrefix("\"splice exec\" requires at least 2 arguments."))
        let tty = try await server.splice(["exec", "-it", "cap_main", "sh"])
        #expect(tty.status == 1 && tty.stderr == "Error: the input device is not a TTY\n")
    }

    @Test func runInteractiveCopiesStdinUntilEOF() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let stdin = try StdinPipe("line one\n")
        let result = try await server.splice(["run", "-i", "--detach-keys", "ctrl-x,x", "bb:latest", "cat"],
                                             stdin: stdin.fd)
        #expect(result.stdout == "hello world\nstdin:line one\n")
        #expect(result.status == 3)
        let calls = server.engine.calls
        let attach = try #require(calls.firstIndex {
            $0 == "attach(\(FakeEngine.mainID), stdin: true, stdout: true, stderr: true, detachKeys: ctrl-x,x)"
        })
        let start = try #require(calls.firstIndex { $0 == "start(\(FakeEngine.mainID))" })
        #expect(attach < start, "the CLI attaches before it starts")
    }

    @Test func startAttachInteractive() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let stdin = try StdinPipe("abc")
        let result = try await server.splice(["start", "-a", "-i", "cap_main"], stdin: stdin.fd)
        // cap_main has no OpenStdin, so -i attaches no stdin (as docker): the stream ends with empty input.
        #expect(result.stdout == "hello world\nstdin:")
        #expect(result.status == 3)
        #expect(server.engine.calls.contains(
            "attach(\(FakeEngine.mainID), stdin: false, stdout: true, stderr: true)"))
        let many = try await server.splice(["start", "-a", "cap_main", "cap_tty"])
        #expect(many.status == 1 && many.stderr == "Error: you cannot start and attach multiple containers at once\n")
    }

    @Test func attachRefusesStoppedAndPaused() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let stopped = try await server.splice(["attach", "cap_stopped"])
        #expect(stopped.status == 1)
        #expect(stopped.stderr == "Error: You cannot attach to a stopped container, start it first\n")
        let paused = try await server.splice(["attach", "cap_paused"])
        #expect(paused.stderr == "Error: You cannot attach to a paused container, unpause it first\n")
        let noTTY = try await server.splice(["attach", "cap_tty"])
        #expect(noTTY.stderr == "Error: the input device is not a TTY\n")
        let plain = try await server.splice(["attach", "--no-stdin", "cap_main"])
        #expect(plain.stdout == "hello world\nstdin:" && plain.stderr == "oops\n" && plain.status == 3)
        #expect(server.engine.calls.contains("wait(cap_main, not-running)"))
    }

    @Test func eventsLinesAndFormat() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["events", "--since", "1795972927", "--until", "1795972933",
                                              "-f", "container=cap_ev"])
        let id = FakeEngine.mainID
        #expect(result.stdout == """
            2026-11-29T17:22:08.196247559Z container create \(id) (image=bb:latest, name=cap_ev)
            2026-11-29T17:22:08.433983816Z container start \(id) (image=bb:latest, name=cap_ev)

            """)
        #expect(server.engine.calls.contains { $0.hasPrefix("events(since: 1795972927, until: 1795972933") })
        let formatted = try await server.splice(["events", "--until", "1795972933",
                                                 "--format", "{{.Status}} {{.Actor.Attributes.name}} {{.ID}}"])
        #expect(formatted.stdout == "create cap_ev \(id)\nstart cap_ev \(id)\n")
    }

    @Test func logsFollowWithWindow() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["logs", "-f", "--since", "2026-11-29T19:20:41+02:00", "--until", "10m",
                                              "cap_main"], now: 1_795_973_000)
        #expect(result.stdout == "first-line\n" && result.stderr == "to-stderr\n" && result.status == 0)
        #expect(server.engine.calls.contains("logs(\(FakeEngine.mainID), follow: true, tail: all)"))
        #expect(server.engine.calls.contains("logsWindow(since: 1795972841, until: 1795972400)"))
        let bad = try await server.splice(["logs", "--until", "tomorrow", "cap_main"])
        #expect(bad.status == 125)
        #expect(bad.stderr.hasPrefix("invalid value for \"until\""))
    }

    @Test func pauseUnpauseRestartTop() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        #expect(try await server.splice(["pause", "cap_main"]).stdout == "cap_main\n")
        #expect(try await server.splice(["unpause", "cap_main"]).stdout == "cap_main\n")
        #expect(try await server.splice(["restart", "-t", "3", "cap_main"]).stdout == "cap_main\n")
        let calls = server.engine.calls
        #expect(calls.contains("pause(cap_main)") && calls.contains("unpause(cap_main)"))
        #expect(calls.contains("restart(cap_main, t: 3)"))
        let top = try await server.splice(["top", "cap_main", "-o", "pid,comm"])
        #expect(top.stdout == "PID                 COMMAND\n8185                sh\n")
        #expect(server.engine.calls.contains("top(cap_main, -o pid,comm)"))
    }

    @Test func psShowsPausedAndRestarting() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let now = Int64(Date().timeIntervalSince1970)
        let paused = try await server.splice(["ps", "-f", "status=paused", "-f", "name=cap_main"], now: now)
        #expect(paused.stdout.contains("   Up 58 seconds (Paused)   "))
        let restarting = try await server.splice(["ps", "-a", "--filter", "status=restarting"], now: now)
        #expect(restarting.stdout.contains("   Restarting (1) 3 seconds ago   "))
        #expect(server.engine.calls.contains { $0.contains("\"name\": [\"cap_main\"]") && $0.contains("paused") })
    }
}
