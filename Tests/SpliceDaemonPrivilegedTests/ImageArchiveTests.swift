import Foundation
import Glibc
import TestSupport
import Testing

/// `docker save | docker load`, `image prune`, the dangling filter and hostile tars through `import` and `load`
/// against a real `spliced`; docker-py's `get_archive`, `put_archive` and `image.save`.
@Suite("save, load, prune and hostile tars through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct ImageArchiveTests {
    /// Runs a shell pipeline with `docker` meaning the CLI against the lab's daemon.
    func shell(_ lab: DaemonLab, _ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let docker = try #require(DaemonLab.docker)
        return try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "-s", "KILL",
                                              "60", "/bin/sh", "-c", "docker() { '\(docker)' \"$@\"; }; " + script])
    }

    @Test func saveAndLoadKeepTheImageID() throws {
        let lab = try DaemonLab("saveload")
        #expect(try lab.docker(["tag", "bb", "other:v2"]).status == 0)
        let id = try lab.docker(["images", "--no-trunc", "-q", "bb"]).stdout
        let tarball = lab.directory + "/save.tar"
        let saved = try lab.docker(["save", "-o", tarball, "bb", "other:v2"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let names = Set(try run("/bin/tar", ["-tf", tarball]).split(separator: "\n").map(String.init))
        #expect(names.isSuperset(of: ["manifest.json", "repositories", "oci-layout", "index.json"]), "\(names)")
        #expect(try lab.docker(["rmi", "bb", "other:v2"]).status == 0)
        #expect(try lab.docker(["images", "-q"]).stdout.isEmpty)
        // `docker save | docker load` through pipes, as users write it.
        let piped = try shell(lab, "docker load < '\(tarball)'")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == "Loaded image: bb:latest\nLoaded image: other:v2\n")
        #expect(try lab.docker(["images", "--no-trunc", "-q", "bb"]).stdout == id)
        #expect(try lab.docker(["images", "--no-trunc", "-q", "other:v2"]).stdout == id)
        #expect(try lab.docker(["run", "--rm", "--net=none", "bb", "echo", "loaded"]).stdout == "loaded\n")
        let stream = try shell(lab, "docker save bb | docker load")
        #expect(stream.stdout == "Loaded image: bb:latest\n", "\(stream.stderr)")
        // On a terminal the CLI asks for progress (quiet=0): a `Loading layer` line per layer comes first.
        let progress = try runStatus("/usr/bin/curl", ["-sS", "--unix-socket", lab.socket, "-X", "POST",
                                                       "-H", "Content-Type: application/x-tar", "--data-binary",
                                                       "@" + tarball, "http://spliced/v1.41/images/load?quiet=0"])
        let lines = progress.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 3, "one layer, two tags: \(progress.stdout)")
        #expect(lines.first?.contains(#""status":"Loading layer""#) == true, "\(progress.stdout)")
        #expect(lines.last == #"{"stream":"Loaded image: other:v2\n"}"#, "\(progress.stdout)")
    }

    @Test func pruneAndTheDanglingFilter() throws {
        let lab = try DaemonLab("prune")
        let tarball = lab.directory + "/extra.tar"
        try run("/usr/bin/python3", ["-c", """
            import io, tarfile, sys
            t = tarfile.open(sys.argv[1], 'w')
            i = tarfile.TarInfo('hello.txt'); i.size = 5; t.addfile(i, io.BytesIO(b'hello'))
            t.close()
            """, tarball])
        #expect(try lab.docker(["import", tarball, "extra:one"]).status == 0)
        #expect(try lab.docker(["import", tarball]).status == 0)
        let dangling = try lab.docker(["images", "-q", "-f", "dangling=true"]).stdout
        #expect(dangling.split(separator: "\n").count == 1, "\(dangling)")
        let pruned = try lab.docker(["image", "prune", "-f"])
        #expect(pruned.stdout.hasPrefix("Deleted Images:\ndeleted: sha256:"), "\(pruned.stdout)\(pruned.stderr)")
        #expect(try lab.docker(["images", "-q", "-f", "dangling=true"]).stdout.isEmpty)
        #expect(try lab.docker(["run", "--name", "keeper", "--net=none", "bb", "true"]).status == 0)
        let all = try lab.docker(["image", "prune", "-a", "-f"])
        #expect(all.stdout.contains("untagged: extra:one"), "\(all.stdout)\(all.stderr)")
        let left = try lab.docker(["images", "--format", "{{.Repository}}"]).stdout
        #expect(left == "bb\n", "the image a container uses stays")
        #expect(try lab.docker(["rmi", "--no-prune", "bb"]).status != 0, "still in use")
    }

    /// `docker images --filter label=|before=|since=` and `docker image prune --filter until=|label=|label!=`, as
    /// dockerd answers them.
    @Test func imageListAndPruneFilters() throws {
        let lab = try DaemonLab("imgfilter")
        func build(_ tag: String, _ dockerfile: String) throws {
            let directory = try BuildTests.context(lab, "ctx-" + tag, ["Dockerfile": dockerfile])
            let built = try BuildTests.build(lab, ["-t", tag, directory])
            try #require(built.status == 0, "\(built.stdout)\(built.stderr)")
        }
        try build("first", "FROM bb\nLABEL tier=web keep=yes\n")
        sleep(1)
        try build("second", "FROM bb\nLABEL tier=db\n")
        sleep(1)
        try build("third", "FROM bb\nLABEL other=1\n")
        func names(_ filters: [String]) throws -> [String] {
            try lab.docker(["images", "--format", "{{.Repository}}"] + filters.flatMap { ["--filter", $0] }).stdout
                .split(separator: "\n").map(String.init).sorted()
        }
        #expect(try names(["label=tier"]) == ["first", "second"])
        #expect(try names(["label=tier=db"]) == ["second"])
        #expect(try names(["label=tier", "label=keep=yes"]) == ["first"])
        #expect(try names(["before=third", "label=tier"]) == ["first", "second"])
        #expect(try names(["since=first"]) == ["second", "third"])
        #expect(try names(["since=first", "before=third"]) == ["second"])
        let missing = try lab.docker(["images", "--filter", "before=nosuch"])
        #expect(missing.status != 0 && missing.stderr.contains("No such image: nosuch"), "\(missing.stderr)")

        // Prune with -a narrowed by label!, then by until: bb stays (the images created now are not before 1h ago).
        let narrowed = try lab.docker(["image", "prune", "-a", "-f", "--filter", "label!=keep", "--filter",
                                       "label=tier"])
        #expect(narrowed.stdout.contains("untagged: second:latest") && !narrowed.stdout.contains("first"),
                "\(narrowed.stdout)\(narrowed.stderr)")
        let old = try lab.docker(["image", "prune", "-a", "-f", "--filter", "until=1h"])
        #expect(old.status == 0 && !old.stdout.contains("first") && !old.stdout.contains("third"), "\(old.stdout)")
        let bad = try lab.docker(["image", "prune", "-f", "--filter", "colour=red"])
        #expect(bad.status != 0 && bad.stderr.contains("invalid filter 'colour'"), "\(bad.stderr)")
    }

    /// Tars with `../` names, absolute names, a symlink then a file through it, hard links out of the tree and
    /// device nodes are refused by `import` and `load` with a clear error, and nothing lands outside.
    @Test func hostileTarsAreRefused() throws {
        let lab = try DaemonLab("hostile")
        let outside = lab.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let cases: [(String, String, String)] = [
            ("dotdot", "add('../../../escape')", "escapes the target"),
            ("absolute", "add('\(outside)/abs')", "refusing layer entry with absolute path"),
            ("symlink", "link('link', '\(outside)'); add('link/pwned')", "symlink"),
            ("hardlink", "hard('hl', '../../../etc/passwd')", "escapes the target"),
            ("device", "dev('null')", "device nodes are not extracted"),
        ]
        for (name, body, message) in cases {
            let tarball = lab.directory + "/\(name).tar"
            try run("/usr/bin/python3", ["-c", """
                import io, tarfile, sys
                t = tarfile.open(sys.argv[1], 'w')
                def add(n):
                    i = tarfile.TarInfo(n); i.size = 5; t.addfile(i, io.BytesIO(b'pwned'))
                def link(n, target):
                    i = tarfile.TarInfo(n); i.type = tarfile.SYMTYPE; i.linkname = target; t.addfile(i)
                def hard(n, target):
                    i = tarfile.TarInfo(n); i.type = tarfile.LNKTYPE; i.linkname = target; t.addfile(i)
                def dev(n):
                    i = tarfile.TarInfo(n); i.type = tarfile.CHRTYPE; i.devmajor = 1; i.devminor = 3; t.addfile(i)
                \(body)
                t.close()
                """, tarball])
            let imported = try lab.docker(["import", tarball, "evil:\(name)"])
            #expect(imported.status != 0, "\(name) was imported")
            #expect(imported.stderr.contains(message), "\(name): \(imported.stderr)")
        }
        #expect(try lab.docker(["images", "-q", "evil"]).stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)

        let load = lab.directory + "/load-evil.tar"
        try run("/usr/bin/python3", ["-c", """
            import io, tarfile, sys
            t = tarfile.open(sys.argv[1], 'w')
            i = tarfile.TarInfo('../../../../load-escape'); i.size = 5; t.addfile(i, io.BytesIO(b'pwned'))
            t.close()
            """, load])
        let loaded = try lab.docker(["load", "-i", load])
        #expect(loaded.status != 0)
        #expect(loaded.stderr.contains("leaves the target"), "\(loaded.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lab.graph + "/load-escape"))
    }

    /// `docker import http://…`: the daemon downloads the tar (a Python HTTP server on the lab's loopback).
    @Test func importFromAURL() throws {
        let lab = try DaemonLab("importurl")
        let served = lab.directory + "/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: lab.directory + "/bb.tar", toPath: served + "/bb.tar")
        let port = 18_000 + Int(getpid() % 1000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/python3", "-m", "http.server",
                            "--bind", "127.0.0.1", "--directory", served, String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)  // the runner blocks SIGTERM, and its children inherit that
            server.waitUntilExit()
        }
        let probe = """
            import socket, sys, time
            for _ in range(100):
                try:
                    socket.create_connection(('127.0.0.1', \(port)), 1).close()
                    sys.exit(0)
                except OSError:
                    time.sleep(0.05)
            sys.exit(1)
            """
        let ready = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/python3",
                                                       "-c", probe])
        try #require(ready.status == 0, "the HTTP server did not start")
        let imported = try lab.docker(["import", "http://127.0.0.1:\(port)/bb.tar", "fromurl:v1"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("sha256:"), "\(imported.stdout)")
        let comment = try lab.docker(["history", "--format", "{{.Comment}}", "fromurl:v1"]).stdout
        #expect(comment == "Imported from http://127.0.0.1:\(port)/bb.tar\n")
        #expect(try lab.docker(["run", "--rm", "--net=none", "fromurl:v1", "echo", "ok"]).stdout == "ok\n")
        let missing = try lab.docker(["import", "http://127.0.0.1:\(port)/nothing.tar"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("404"), "\(missing.stderr)")
    }

    @Test(.enabled(if: DockerPy.isInstalled, "docker-py is not installed (scripts/setup.sh installs docker==7.1.0)"))
    func dockerPyArchives() throws {
        let lab = try DaemonLab("pyarchive")
        let script = """
            import docker, io, tarfile
            c = docker.from_env(version="auto")
            ct = c.containers.run("bb", ["sleep", "60"], detach=True, name="pyarc", network_mode="none")
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w") as t:
                i = tarfile.TarInfo("put.txt"); i.size = 3; t.addfile(i, io.BytesIO(b"put"))
            print("put", ct.put_archive("/tmp", buf.getvalue()))
            chunks, stat = ct.get_archive("/tmp/put.txt")
            data = b"".join(chunks)
            with tarfile.open(fileobj=io.BytesIO(data)) as t:
                print("get", stat["name"], t.extractfile("put.txt").read().decode())
            size = sum(len(chunk) for chunk in c.images.get("bb").save())
            print("save", size > 1000000)
            ct.remove(force=True)
            """
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", script])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout == "put True\nget put.txt put\nsave True\n", "\(result.stdout)\(result.stderr)")
    }
}
