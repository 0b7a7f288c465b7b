import Foundation
import Glibc
import TestSupport
import Testing

/// What `spliced` writes to standard error, as dockerd does: one line per request at debug, and the failures with
/// their causes at any level.
@Suite("spliced's log", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct DaemonLogTests {
    @Test("-D logs every request with its status and duration, and restart-policy restarts")
    func debugLogsRequestsAndRestarts() throws {
        let lab = try DaemonLab("logdebug", daemonArguments: ["-D"])
        #expect(try lab.docker(["ps", "-a"]).status == 0)
        let run = try lab.docker(["run", "-d", "--net=none", "--name", "failing", "--restart", "on-failure:1", "bb",
                                  "sh", "-c", "exit 1"])
        #expect(run.status == 0, "\(run.stderr)")
        var log = ""
        for _ in 0..<100 {
            log = lab.daemonLog()
            if log.contains("restarting container by its restart policy") { break }
            usleep(100_000)
        }
        let lines = log.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("time=\"") && $0.contains(" level=info msg=\"API listen on ") })
        let list = try #require(
            lines.first { $0.contains("level=debug msg=\"GET /v") && $0.contains("/containers/json") }, "\(log)")
        #expect(list.contains("status=200"))
        #expect(list.contains("duration="))
        #expect(lines.contains { $0.contains("level=info msg=\"restarting container by its restart policy\"") },
                "\(log)")
    }

    @Test("-D logs one line per create, start and exit with the duration of each phase")
    func debugLogsStartPhases() throws {
        let lab = try DaemonLab("logphases", daemonArguments: ["-D"])
        let run = try lab.docker(["run", "--rm", "bb", "true"])
        #expect(run.status == 0, "\(run.stderr)")
        var log = ""
        for _ in 0..<100 {
            log = lab.daemonLog()
            if log.contains("container exit handled") { break }
            usleep(100_000)
        }
        let lines = log.split(separator: "\n")
        let phases = { (message: String) -> Substring? in
            lines.first { $0.contains("level=debug msg=\"\(message)\"") }
        }
        let created = try #require(phases("container created"), "\(log)")
        for phase in ["decode=", "validate=", "image=", "record=", "total="] {
            #expect(created.contains(phase), "\(created)")
        }
        let started = try #require(phases("container started"), "\(log)")
        for phase in ["intent=", "rootfs=", "network=", "spec=", "cgroup=", "spawn=", "record=", "total="] {
            #expect(started.contains(phase), "\(started)")
        }
        let exited = try #require(phases("container exit handled"), "\(log)")
        #expect(exited.contains("cgroup=") && exited.contains("total="), "\(exited)")
    }

    @Test("--log-level=error keeps requests out and a failed start in, with its cause")
    func errorLevelLogsFailures() throws {
        let lab = try DaemonLab("logerror", daemonArguments: ["--log-level=error"])
        let run = try lab.docker(["run", "--net=none", "--user", "nosuchuser", "bb", "true"])
        #expect(run.status != 0)
        let log = lab.daemonLog()
        #expect(!log.contains("level=debug"))
        #expect(!log.contains("level=info"))
        #expect(log.contains("level=error msg=\"container start failed\""), "\(log)")
    }

    @Test("a bad --log-level is refused with dockerd's message")
    func badLevel() throws {
        let result = try runStatus(DaemonLab.splicedBinary, ["--log-level=loud"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("spliced: unable to parse logging level: loud\n"))
    }
}
