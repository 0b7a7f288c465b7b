import Foundation
import Glibc
import TestSupport
import Testing

/// The real `docker` CLI against a real `spliced` in a scratch namespace.
@Suite("spliced with the docker CLI", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct DockerCLITests {
    @Test func runRemovePrintsHelloAndLeavesNothing() throws {
        let lab = try DaemonLab("hello")
        let result = try lab.docker(["run", "--rm", "--net=none", "bb", "echo", "hello"])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout == "hello\n")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
        let containers = (try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/containers")) ?? []
        #expect(containers.isEmpty)
    }

    @Test func exitCodePropagates() throws {
        let lab = try DaemonLab("exit")
        let result = try lab.docker(["run", "--net=none", "bb", "sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout == "out\n")
        #expect(result.stderr == "err\n")
        let ps = try lab.docker(["ps", "-a", "--format", "{{.Status}}"]).stdout
        #expect(ps.hasPrefix("Exited (3)"))
        let id = try lab.docker(["ps", "-aq"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let logs = try lab.docker(["logs", id])
        #expect(logs.stdout == "out\n")
        #expect(logs.stderr == "err\n")
        #expect(try lab.docker(["inspect", "-f", "{{.State.ExitCode}}", id]).stdout == "3\n")
    }

    @Test func detachedContainerListInspectRemove() throws {
        let lab = try DaemonLab("web")
        let run = try lab.docker(["run", "-d", "--name", "web", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        let id = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 64)
        let ps = try lab.docker(["ps", "--format", "{{.Names}} {{.Command}} {{.Status}}"]).stdout
        #expect(ps.hasPrefix("web \"sleep 60\" Up"), "\(ps)")
        let pidText = try lab.docker(["inspect", "-f", "{{.State.Pid}}", "web"]).stdout
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(pid > 0)
        #expect(kill(pid, 0) == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Running}} {{.Name}}", String(id.prefix(6))]).stdout
                == "true /web\n")
        let removed = try lab.docker(["rm", "-f", "web"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout == "web\n")
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(pid, 0) != 0
            if !gone { usleep(20_000) }
        }
        #expect(gone)
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
        let missing = try lab.docker(["inspect", "web"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No such"))
    }

    @Test func bridgeContainerGetsAddressAndReachesGateway() throws {
        let lab = try DaemonLab("bridge")
        let result = try lab.docker(["run", "--rm", "--net=bridge", "bb", "sh", "-c",
                                     "ip -4 -o addr show eth0; ping -c 1 -W 2 172.18.0.1 >/dev/null && echo PING-OK"])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout.contains("inet 172.18.0."), "\(result.stdout)")
        #expect(result.stdout.contains("PING-OK"), "\(result.stdout)")
        let detached = try lab.docker(["run", "-d", "--name", "br", "bb", "sleep", "30"])
        #expect(detached.status == 0)
        let address = try lab.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "br"]).stdout
        #expect(address.hasPrefix("172.18.0."))
        // The bridge lives in the lab's namespace, not on the real host.
        let bridge = try runStatus("/usr/sbin/ip", ["-n", lab.namespaceName, "-br", "addr", "show", "splice0"])
        #expect(bridge.stdout.contains("172.18.0.1/16"))
        #expect(try lab.docker(["stop", "-t", "1", "br"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "br"]).stdout == "exited\n")
        #expect(try lab.docker(["rm", "br"]).status == 0)
        let links = try run("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link"])
        #expect(!links.contains("vsp"), "\(links)")
    }

    @Test func runningContainersSurviveADaemonRestart() throws {
        let lab = try DaemonLab("restart")
        #expect(try lab.docker(["run", "-d", "--name", "keep", "bb", "sleep", "60"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "brief", "--net=none", "bb", "sleep", "1"]).status == 0)
        let pid = try #require(Int32(try lab.docker(["inspect", "-f", "{{.State.Pid}}", "keep"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        lab.stopDaemon()
        #expect(kill(pid, 0) == 0)
        usleep(1_500_000)
        try lab.startDaemon()
        let ps = try lab.docker(["ps", "-a", "--format", "{{.Names}} {{.State}}"]).stdout
        #expect(ps.contains("keep running"), "\(ps)")
        #expect(ps.contains("brief exited"), "\(ps)")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Pid}}", "keep"]).stdout == "\(pid)\n")
        #expect(try lab.docker(["rm", "-f", "keep", "brief"]).status == 0)
    }

    @Test func errorsReachTheCLI() throws {
        let lab = try DaemonLab("errors")
        let badCap = try lab.docker(["run", "--cap-add", "NOPE", "bb", "true"])
        #expect(badCap.status != 0)
        #expect(badCap.stderr.contains("unknown capability"), "\(badCap.stderr)")
        #expect(try lab.docker(["create", "--name", "dup", "bb", "true"]).status == 0)
        let conflict = try lab.docker(["create", "--name", "dup", "bb", "true"])
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("is already in use"))
        let noImage = try lab.docker(["create", "--pull=never", "nosuchimage", "true"])
        #expect(noImage.status != 0)
        let images = try lab.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout
        #expect(images == "bb:latest\n")
    }

    @Test func configurationReachesTheProcess() throws {
        let lab = try DaemonLab("config")
        let env = try lab.docker(["run", "--rm", "--net=none", "-e", "FOO=bar", "-w", "/work/dir", "-h", "myhost",
                                  "bb", "sh", "-c", "echo $FOO $(pwd) $(hostname)"])
        #expect(env.status == 0, "\(env.stderr)")
        #expect(env.stdout == "bar /work/dir myhost\n")
        let entrypoint = try lab.docker(["run", "--rm", "--net=none", "--entrypoint", "/bin/echo", "bb", "a", "b"])
        #expect(entrypoint.stdout == "a b\n")
        #expect(try lab.docker(["run", "-d", "--name", "web", "bb", "sleep", "30"]).status == 0)
        let shared = try lab.docker(["run", "--rm", "--net=container:web", "bb", "ip", "-4", "-o", "addr", "show", "eth0"])
        #expect(shared.stdout.contains("inet 172.18.0."), "\(shared.stdout) \(shared.stderr)")
        let host = try lab.docker(["run", "--rm", "--net=host", "bb", "ip", "-o", "link", "show", "splice0"])
        #expect(host.stdout.contains("splice0"), "\(host.stdout) \(host.stderr)")
        #expect(try lab.docker(["rm", "-f", "web"]).status == 0)
    }

    @Test func failedStartWithRemoveEndsAndCleansUp() throws {
        let lab = try DaemonLab("fail")
        let result = try lab.docker(["run", "--rm", "--net=none", "bb", "/no/such/binary"])
        #expect(result.status == 127, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("failed to create task for container: OCI runtime create failed"),
                "\(result.stderr)")
        var empty = false
        for _ in 0..<50 where !empty {
            empty = try lab.docker(["ps", "-aq"]).stdout.isEmpty
            if !empty { usleep(100_000) }
        }
        #expect(empty)
        let kept = try lab.docker(["run", "--name", "kept", "--net=none", "bb", "/no/such/binary"])
        #expect(kept.status == 127)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "kept"]).stdout
                == "created 127\n")
    }
}
