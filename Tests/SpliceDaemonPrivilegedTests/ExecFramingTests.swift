import Foundation
import Glibc
import TestSupport
import Testing

/// The framing of exec and attach streams with docker-py, for every combination of TTY, demux, stream and socket,
/// and a TTY exec started without `Tty` (dockerd frames by the start body, so the client reads stdcopy frames).
@Suite("exec and attach framing with docker-py", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DockerPy.isInstalled, "docker-py is not installed (scripts/setup.sh installs docker==7.1.0)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct ExecFramingTests {
    static let script = """
        import docker
        c = docker.from_env(version="auto")
        ct = c.containers.run("bb", ["sleep", "60"], detach=True, network_mode="none")
        cmd = ["sh", "-c", "echo out-line; echo err-line >&2"]
        for tty in (False, True):
            print("plain", tty, repr(ct.exec_run(cmd, tty=tty).output))
            print("demux", tty, repr(ct.exec_run(cmd, tty=tty, demux=True).output))
            print("stream", tty, repr(b"".join(ct.exec_run(cmd, tty=tty, stream=True).output)))
            sock = ct.exec_run(cmd, tty=tty, socket=True).output._sock
            data = b""
            while True:
                chunk = sock.recv(4096)
                if not chunk: break
                data += chunk
            print("socket", tty, repr(data))
        only = c.api.exec_create(ct.id, cmd, stdout=False, stderr=True)
        print("stderr-only", repr(c.api.exec_start(only["Id"], demux=True)))
        made = c.api.exec_create(ct.id, ["echo", "first-bytes-kept"], tty=True, user="65534")
        print("tty-exec-started-plain", repr(c.api.exec_start(made["Id"])))
        config = c.api.exec_inspect(made["Id"])["ProcessConfig"]
        print("process", config["tty"], config["entrypoint"], config["arguments"], config["user"])
        ct.remove(force=True)
        """

    @Test func everyCombinationReadsWhatWasWritten() throws {
        let lab = try DaemonLab("framing")
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", Self.script])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"plain False b'out-line\nerr-line\n'"#,
            #"demux False (b'out-line\n', b'err-line\n')"#,
            #"stream False b'out-line\nerr-line\n'"#,
            #"socket False b'\x01\x00\x00\x00\x00\x00\x00\tout-line\n\x02\x00\x00\x00\x00\x00\x00\terr-line\n'"#,
            #"plain True b'out-line\r\nerr-line\r\n'"#,
            #"demux True (b'out-line\r\nerr-line\r\n', None)"#,
            #"stream True b'out-line\r\nerr-line\r\n'"#,
            #"socket True b'out-line\r\nerr-line\r\n'"#,
            #"stderr-only (None, b'err-line\n')"#,
            #"tty-exec-started-plain b'first-bytes-kept\r\n'"#,
            "process True echo ['first-bytes-kept'] 65534",
        ], "\(result.stdout)\(result.stderr)")
    }
}
