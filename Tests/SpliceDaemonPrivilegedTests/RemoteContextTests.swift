import Foundation
import Glibc
import TestSupport
import Testing

/// `docker build` of a remote context: `remote=URL` (docker-py's `build(path=URL)`, `splice build URL`) fetched by
/// `spliced` as dockerd's legacy builder does (a tar, plain or compressed; a plain-text Dockerfile; a Git
/// repository with `#ref:dir`), and the docker CLI's own download of a URL context. The files are served by Python's
/// HTTP server on 127.0.0.1 inside the lab's namespace (Git over its dumb HTTP protocol), started and stopped by PID.
@Suite("build from a remote context", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct RemoteContextTests {
    /// Python's HTTP server serving `directory` on 127.0.0.1 inside the lab's namespace.
    final class FileServer {
        let port: Int
        private let process: Process

        init(_ lab: DaemonLab, directory: String) throws {
            port = try RegistryServer.unusedPort()
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
            process.arguments = ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/python3", "-m", "http.server",
                                 "--bind", "127.0.0.1", "--directory", directory, String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var ready = false
            for _ in 0..<100 where !ready {
                let probe = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)",
                                                               "/usr/bin/curl", "-s", "-o", "/dev/null",
                                                               "http://127.0.0.1:\(port)/"])
                ready = probe.status == 0
                if !ready { usleep(50_000) }
            }
            guard ready else {
                stop()
                throw CommandFailure(command: "python3 -m http.server", status: -1, stderr: "did not start")
            }
        }

        /// `http://127.0.0.1:PORT/path`.
        func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

        /// Stops the server by its PID (SIGKILL: the test runner blocks SIGTERM, and children inherit that).
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// The served files: context tars, a lone Dockerfile, an HTML page, an empty file and a Git repository with a
    /// `main` branch, a tag `v1` and a context in `sub/`.
    static func served(_ lab: DaemonLab) throws -> String {
        let served = lab.directory + "/served"
        let context = try BuildTests.context(lab, "remote-ctx", [
            "Dockerfile": "FROM bb\nCOPY hello.txt /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n",
            "alt/Dockerfile": "FROM bb\nCOPY hello.txt /alt.txt\nCMD [\"cat\", \"/alt.txt\"]\n",
            "hello.txt": "from the tar\n",
        ])
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try run("/usr/bin/tar", ["-C", context, "-cf", served + "/ctx.tar", "."])
        try run("/usr/bin/tar", ["-C", context, "-czf", served + "/ctx.tar.gz", "."])
        try "FROM bb\nRUN echo from-a-dockerfile-url > /made.txt\nCMD [\"cat\", \"/made.txt\"]\n"
            .write(toFile: served + "/Dockerfile", atomically: true, encoding: .utf8)
        // A Dockerfile by URL has no context, not even itself: its COPY finds nothing, as in dockerd.
        try FileManager.default.createDirectory(atPath: served + "/nocontext", withIntermediateDirectories: true)
        try "FROM bb\nCOPY Dockerfile /Dockerfile\n"
            .write(toFile: served + "/nocontext/Dockerfile", atomically: true, encoding: .utf8)
        try "<html><body>not a context</body></html>\n"
            .write(toFile: served + "/page.html", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: served + "/empty.tar", contents: Data())

        let work = try BuildTests.context(lab, "git-work", [
            "Dockerfile": "FROM bb\nCOPY root.txt /root.txt\nCMD [\"cat\", \"/root.txt\"]\n",
            "root.txt": "git root\n",
            "sub/Dockerfile": "FROM bb\nCOPY version.txt /version.txt\nCMD [\"cat\", \"/version.txt\"]\n",
            "sub/version.txt": "tagged v1\n",
        ])
        let git = ["/usr/bin/git", "-C", work, "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
        try run("/usr/bin/git", ["init", "-q", "-b", "main", work])
        try run(git[0], Array(git.dropFirst()) + ["add", "-A"])
        try run(git[0], Array(git.dropFirst()) + ["commit", "-q", "-m", "v1"])
        try run(git[0], Array(git.dropFirst()) + ["tag", "v1"])
        try "main after v1\n".write(toFile: work + "/sub/version.txt", atomically: true, encoding: .utf8)
        try run(git[0], Array(git.dropFirst()) + ["commit", "-q", "-a", "-m", "after v1"])
        try run("/usr/bin/git", ["clone", "-q", "--bare", work, served + "/repo.git"])
        try run("/usr/bin/git", ["-C", served + "/repo.git", "update-server-info"])
        return served
    }

    @Test(.enabled(if: DockerPy.isInstalled, "docker-py is not installed (scripts/setup.sh installs docker==7.1.0)"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "needs git (scripts/setup.sh)"))
    func dockerPyBuildsFromURLs() throws {
        let lab = try DaemonLab("remotepy")
        let server = try FileServer(lab, directory: try Self.served(lab))
        defer { server.stop() }
        let script = """
            import docker
            c = docker.from_env(version="auto")
            def build(tag, path, **options):
                try:
                    image, logs = c.images.build(path=path, tag=tag, rm=True, **options)
                except docker.errors.APIError as e:
                    print(tag, "api-error", e.status_code, e.explanation)
                    return
                except docker.errors.BuildError as e:
                    print(tag, "build-error", e.msg)
                    return
                out = c.containers.run(tag, remove=True, network_mode="none").decode().strip()
                print(tag, "ok", out)
            build("r-tar", "\(server.url("ctx.tar"))")
            build("r-gz", "\(server.url("ctx.tar.gz"))", dockerfile="alt/Dockerfile")
            build("r-text", "\(server.url("Dockerfile"))")
            build("r-nocontext", "\(server.url("nocontext/Dockerfile"))")
            build("r-git-main", "\(server.url("repo.git#main:sub"))")
            build("r-git-tag", "\(server.url("repo.git#v1:sub"))")
            build("r-git-root", "\(server.url("repo.git"))")
            build("r-missing", "\(server.url("nothing.tar"))")
            build("r-html", "\(server.url("page.html"))")
            build("r-empty", "\(server.url("empty.tar"))")
            build("r-nodir", "\(server.url("repo.git#main:nosuch"))")
            build("r-noref", "\(server.url("repo.git#nosuch-branch"))")
            build("r-nofile", "\(server.url("ctx.tar"))", dockerfile="nosuch/Dockerfile")
            """
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "240",
                                                    "python3", "-c", script])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)\n\(lab.daemonLog())")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func line(_ tag: String) -> String { lines.first { $0.hasPrefix(tag + " ") } ?? "(no line for \(tag))" }
        #expect(line("r-tar") == "r-tar ok from the tar", "\(result.stdout)\(result.stderr)")
        #expect(line("r-gz") == "r-gz ok from the tar", "\(result.stdout)\(result.stderr)")
        #expect(line("r-text") == "r-text ok from-a-dockerfile-url", "\(result.stdout)\(result.stderr)")
        #expect(line("r-nocontext").hasPrefix("r-nocontext build-error COPY failed: file not found in build context"),
                "\(result.stdout)\(result.stderr)")
        #expect(line("r-git-main") == "r-git-main ok main after v1", "\(result.stdout)\(result.stderr)")
        #expect(line("r-git-tag") == "r-git-tag ok tagged v1", "\(result.stdout)\(result.stderr)")
        #expect(line("r-git-root") == "r-git-root ok git root", "\(result.stdout)\(result.stderr)")
        let missing = line("r-missing")
        #expect(missing.hasPrefix("r-missing api-error 404 error downloading remote context "
            + "\(server.url("nothing.tar")): failed to GET \(server.url("nothing.tar")) with status 404 Not Found"),
                "\(missing)")
        #expect(line("r-html") == "r-html api-error 500 error detecting content type for remote "
            + "\(server.url("page.html")): unsupported Content-Type \"text/html\"", "\(result.stdout)")
        #expect(line("r-empty").hasSuffix("error detecting content type for remote \(server.url("empty.tar")): "
            + "empty response"), "\(result.stdout)")
        #expect(line("r-nodir").contains("api-error 500 stat ") && line("r-nodir").contains("nosuch"),
                "\(result.stdout)")
        #expect(line("r-noref").contains("api-error 500 error fetching: "), "\(result.stdout)")
        #expect(line("r-nofile") == "r-nofile build-error Cannot locate specified Dockerfile: nosuch/Dockerfile",
                "\(result.stdout)")
        // Nothing fetched is left in the daemon's spool.
        let spool = (try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/tmp")) ?? []
        #expect(spool.filter { $0.hasPrefix("remote-") || $0.hasPrefix("context-") }.isEmpty, "\(spool)")
    }

    @Test func dockerCLIAndSpliceBuildFromAURL() throws {
        let lab = try DaemonLab("remotecli")
        let server = try FileServer(lab, directory: try Self.served(lab))
        defer { server.stop() }
        // The docker CLI downloads a URL context itself and sends it as the body (it runs in the lab's namespace to
        // reach the server).
        let cli = try runStatus("/usr/bin/nsenter", [
            "--net=/run/netns/\(lab.namespaceName)", "/usr/bin/env", "DOCKER_HOST=unix://\(lab.socket)",
            "DOCKER_BUILDKIT=0", "/usr/bin/timeout", "-s", "KILL", "120", DaemonLab.docker ?? "docker", "build",
            "-t", "cli-remote", server.url("ctx.tar"),
        ])
        #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)\n\(lab.daemonLog())")
        #expect(cli.stdout.contains("Successfully tagged cli-remote:latest"), "\(cli.stdout)")
        #expect(try lab.docker(["run", "--rm", "--net=none", "cli-remote"]).stdout == "from the tar\n")

        // `splice build URL` passes the URL on as remote=, for spliced to fetch.
        let splice = try lab.splice(["build", "-t", "splice-remote", "-f", "alt/Dockerfile", server.url("ctx.tar.gz")])
        #expect(splice.status == 0, "\(splice.stdout)\(splice.stderr)\n\(lab.daemonLog())")
        #expect(splice.stdout.hasPrefix("Step 1/3 : FROM bb\n"), "\(splice.stdout)")
        #expect(splice.stdout.hasSuffix("Successfully tagged splice-remote:latest\n"), "\(splice.stdout)")
        #expect(try lab.docker(["run", "--rm", "--net=none", "splice-remote"]).stdout == "from the tar\n")

        let missing = try lab.splice(["build", server.url("nothing.tar")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("failed to GET \(server.url("nothing.tar")) with status 404 Not Found"),
                "\(missing.stderr)")
        let ftp = try runStatus("/usr/bin/curl", ["-sS", "--unix-socket", lab.socket, "-X", "POST",
                                                  "http://localhost/build?remote=ftp://127.0.0.1/ctx.tar"])
        #expect(ftp.stdout.contains("remoteURL (ftp://127.0.0.1/ctx.tar) could not be recognized as URL"),
                "\(ftp.stdout)\(ftp.stderr)")
    }
}
