import Foundation
import Glibc
import TestSupport
import Testing

/// docker-py 7 (the Python SDK) against a real `spliced`: what a script using it does first.
@Suite("docker-py against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DockerPy.isInstalled, "docker-py is not installed (scripts/setup.sh installs docker==7.1.0)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct DockerPyTests {
    static let script = """
        import docker, sys
        c = docker.from_env(version="auto")
        print("api", c.version()["ApiVersion"])
        print("run", c.containers.run("bb", ["echo", "hello"], remove=True, network_mode="none").decode().strip())
        ct = c.containers.run("bb", ["sleep", "30"], detach=True, name="py")
        ct.reload()
        print("status", ct.status)
        for kw in [dict(), dict(demux=True), dict(tty=True)]:
            r = ct.exec_run(["sh", "-c", "echo out; echo err >&2; exit 3"], **kw)
            print("exec", r.exit_code, repr(r.output))
        ct.pause(); ct.reload(); print("paused", ct.status); ct.unpause()
        print("top", ct.top()["Titles"][:2])
        ct.kill(); print("wait", ct.wait()["StatusCode"]); ct.remove()
        print("left", len(c.containers.list(all=True)))
        """

    @Test func scriptRunsAsAgainstDocker() throws {
        let lab = try DaemonLab("dockerpy")
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", Self.script])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "api 1.41", "run hello", "status running",
            "exec 3 b'out\\nerr\\n'", "exec 3 (b'out\\n', b'err\\n')", "exec 3 b'out\\r\\nerr\\r\\n'",
            "paused paused", "top ['UID', 'PID']", "wait 137", "left 0",
        ], "\(result.stdout)\(result.stderr)")
    }
}

/// The Python SDK, if installed.
enum DockerPy {
    /// Whether `python3 -c 'import docker'` works.
    static let isInstalled: Bool =
        (try? runStatus("/usr/bin/env", ["python3", "-c", "import docker"]))?.status == 0
}
