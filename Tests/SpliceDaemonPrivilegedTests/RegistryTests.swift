import Foundation
import Glibc
import TestSupport
import Testing

/// Pull, push, login and search through a real `spliced` against Debian's `docker-registry`, started in the lab's
/// namespace on 127.0.0.1, driven by the docker CLI, docker-py, `splice` and skopeo (an independent client).
@Suite("registry pull, push, login and search through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: RegistryServer.isInstalled, "needs Debian's docker-registry (scripts/setup.sh installs it)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct RegistryTests {
    /// The digest in `TAG: digest: sha256:… size: N`.
    static func pushedDigest(_ output: String) -> String? {
        guard let range = output.range(of: "digest: sha256:") else { return nil }
        return "sha256:" + output[range.upperBound...].prefix(64)
    }

    /// The docker CLI against the lab with its own config directory.
    static func docker(_ lab: DaemonLab, config: String, _ arguments: [String], input: String? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "DOCKER_CONFIG=\(config)",
                                       "/usr/bin/timeout", "-s", "KILL", "120", DaemonLab.docker ?? "docker"]
                                       + arguments, input: input)
    }

    @Test func pushRemovePullAndRun() throws {
        let lab = try DaemonLab("reg")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let name = "\(registry.address)/bb:1"
        #expect(try lab.docker(["tag", "bb", name]).status == 0)
        let pushed = try lab.docker(["push", name])
        #expect(pushed.status == 0, "\(pushed.stderr)\n\(lab.daemonLog())")
        #expect(pushed.stdout.hasPrefix("The push refers to repository [\(registry.address)/bb]\n"), "\(pushed.stdout)")
        #expect(pushed.stdout.contains(": Pushed\n"), "\(pushed.stdout)")
        let digest = try #require(Self.pushedDigest(pushed.stdout), "\(pushed.stdout)")

        let again = try lab.docker(["push", name])
        #expect(again.stdout.contains(": Layer already exists\n"), "\(again.stdout)\(again.stderr)")
        #expect(Self.pushedDigest(again.stdout) == digest)

        // The same layer pushed to another repository is linked from the first, not uploaded again.
        #expect(try lab.docker(["tag", "bb", "\(registry.address)/other:1"]).status == 0)
        let mounted = try lab.docker(["push", "\(registry.address)/other:1"])
        #expect(mounted.stdout.contains(": Mounted from bb\n"), "\(mounted.stdout)\(mounted.stderr)")
        #expect(try lab.docker(["rmi", "\(registry.address)/other:1"]).status == 0)

        #expect(try lab.docker(["rmi", name]).status == 0)
        #expect(try lab.docker(["rmi", "bb"]).status == 0)
        #expect(try lab.docker(["images", "-q"]).stdout.isEmpty)

        let pulled = try lab.docker(["pull", name])
        #expect(pulled.status == 0, "\(pulled.stderr)\n\(lab.daemonLog())")
        #expect(pulled.stdout.hasPrefix("1: Pulling from bb\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.contains(": Pull complete\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.contains("Digest: \(digest)\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.contains("Status: Downloaded newer image for \(name)\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.hasSuffix("\(name)\n"), "\(pulled.stdout)")

        let run = try lab.docker(["run", "--rm", "--net=none", name, "echo", "pulled"])
        #expect(run.status == 0 && run.stdout == "pulled\n", "\(run.stdout)\(run.stderr)")
        // docker inspect and images --digests show where it came from.
        let repoDigests = try lab.docker(["image", "inspect", "-f", "{{json .RepoDigests}}", name]).stdout
        #expect(repoDigests == "[\"\(registry.address)/bb@\(digest)\"]\n", "\(repoDigests)")
        let digests = try lab.docker(["images", "--digests", "--format", "{{.Repository}} {{.Digest}}"]).stdout
        #expect(digests.contains("\(registry.address)/bb \(digest)\n"), "\(digests)")

        let events = try lab.docker(["events", "--since", "0", "--until", String(Int(Date().timeIntervalSince1970) + 1),
                                     "--filter", "type=image", "--format", "{{.Action}} {{.Actor.ID}}"])
        #expect(events.stdout.contains("push \(name)\n") && events.stdout.contains("pull \(name)\n"),
                "\(events.stdout)\(events.stderr)")

        let upToDate = try lab.docker(["pull", name])
        #expect(upToDate.stdout.contains("Status: Image is up to date for \(name)\n"), "\(upToDate.stdout)")

        let missing = try lab.docker(["pull", "\(registry.address)/nonexistent:nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("manifest for \(registry.address)/nonexistent:nope not found: "
                                            + "manifest unknown: manifest unknown"), "\(missing.stderr)")
        let listed = try lab.docker(["search", "\(registry.address)/b"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.hasPrefix("NAME"), "\(listed.stdout)")
        #expect(listed.stdout.contains("\(registry.address)/bb"), "\(listed.stdout)")
        let official = try lab.docker(["search", "--filter", "is-official=true", "\(registry.address)/b"])
        #expect(official.status == 0 && official.stdout == "NAME      DESCRIPTION   STARS     OFFICIAL\n",
                "\(official.stdout)\(official.stderr)")
        // Docker Hub cannot be reached from the lab's namespace: a clear error naming the request, as dockerd's.
        let offline = try lab.docker(["search", "busybox"])
        #expect(offline.status == 1)
        #expect(offline.stderr.hasPrefix("Error response from daemon: Get \"https://index.docker.io/v1/search?q=busybox"
                                            + "&n=25\": "), "\(offline.stderr)")
    }

    @Test func skopeoReadsWhatSplicedPushedAndSplicedPullsWhatSkopeoPushed() throws {
        let skopeo = "/usr/bin/skopeo"
        try #require(FileManager.default.isExecutableFile(atPath: skopeo), "needs skopeo (scripts/setup.sh)")
        let lab = try DaemonLab("skopeo")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let name = "\(registry.address)/bb:1"
        #expect(try lab.docker(["tag", "bb", name]).status == 0)
        let pushed = try lab.docker(["push", name])
        let digest = try #require(Self.pushedDigest(pushed.stdout), "\(pushed.stdout)\(pushed.stderr)")

        let inspected = try registry.runBeside(skopeo, ["inspect", "--tls-verify=false", "docker://\(name)"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(inspected.stdout.contains("\"Digest\": \"\(digest)\""), "\(inspected.stdout)")

        let layout = lab.directory + "/oci"
        let copied = try registry.runBeside(skopeo, ["copy", "--src-tls-verify=false", "docker://\(name)",
                                                     "oci:\(layout):bb"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(FileManager.default.fileExists(atPath: layout + "/index.json"))

        let back = try registry.runBeside(skopeo, ["copy", "--dest-tls-verify=false", "oci:\(layout):bb",
                                                   "docker://\(registry.address)/fromskopeo:2"])
        #expect(back.status == 0, "\(back.stderr)")
        let pulled = try lab.docker(["pull", "\(registry.address)/fromskopeo:2"])
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)\n\(lab.daemonLog())")
        let run = try lab.docker(["run", "--rm", "--net=none", "\(registry.address)/fromskopeo:2", "echo", "ok"])
        #expect(run.stdout == "ok\n", "\(run.stdout)\(run.stderr)")
    }

    @Test("docker build pulls a FROM image missing from the store, as dockerd's legacy builder does")
    func buildPullsItsBase() throws {
        let lab = try DaemonLab("regbuild")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let base = "\(registry.address)/base:7"
        #expect(try lab.docker(["tag", "bb", base]).status == 0)
        #expect(try lab.docker(["push", base]).status == 0)
        #expect(try lab.docker(["rmi", base]).status == 0)
        let context = lab.directory + "/ctx"
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        try "FROM \(base)\nRUN echo pulled > /marker\n".write(toFile: context + "/Dockerfile", atomically: true,
                                                             encoding: .utf8)
        let built = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "DOCKER_BUILDKIT=0",
                                                   "/usr/bin/timeout", "120", DaemonLab.docker ?? "docker", "build",
                                                   "-t", "frompull", context])
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        #expect(built.stdout.contains("Pulling from base"), "\(built.stdout)")
        #expect(try lab.docker(["image", "inspect", "-f", "{{.Id}}", base]).status == 0, "the base is in the store")
        let run = try lab.docker(["run", "--rm", "--net=none", "frompull", "cat", "/marker"])
        #expect(run.stdout == "pulled\n", "\(run.stderr)")
    }

    @Test func dockerPyPulls() throws {
        let lab = try DaemonLab("regpy")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        #expect(try lab.docker(["tag", "bb", "\(registry.address)/py:3"]).status == 0)
        #expect(try lab.docker(["push", "\(registry.address)/py:3"]).status == 0)
        #expect(try lab.docker(["rmi", "\(registry.address)/py:3"]).status == 0)
        let script = """
            import docker
            c = docker.from_env(version="auto")
            image = c.images.pull("\(registry.address)/py", tag="3")
            print(image.tags)
            """
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", script])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        // The image is also `bb` (the tag was made from it), so docker-py lists both names.
        #expect(result.stdout.contains("'\(registry.address)/py:3'"), "\(result.stdout)\(result.stderr)")
    }

    @Test(.enabled(if: RegistryServer.hasHtpasswd, "needs htpasswd from apache2-utils (scripts/setup.sh)"),
          .enabled(if: TLSFixture.openssl != nil, "needs the openssl CLI"))
    func loginPushAndPullWithTLSAndPassword() throws {
        let lab = try DaemonLab("regauth")
        let tls = try TLSFixture.make()
        defer { tls.remove() }
        let registry = try RegistryServer(namespace: lab.namespaceName, credentials: ("alice", "s3cret"), tls: tls)
        let certificates = "/etc/docker/certs.d/\(registry.address)"
        let madeParent = !FileManager.default.fileExists(atPath: "/etc/docker/certs.d")
        try FileManager.default.createDirectory(atPath: certificates, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: certificates)
            if madeParent { try? FileManager.default.removeItem(atPath: "/etc/docker/certs.d") }
        }
        try FileManager.default.copyItem(atPath: tls.ca, toPath: certificates + "/ca.crt")
        let config = lab.directory + "/docker-config"
        let name = "\(registry.address)/secret:1"
        #expect(try lab.docker(["tag", "bb", name]).status == 0)

        let refused = try Self.docker(lab, config: config, ["push", name])
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("no basic auth credentials"),
                "\(refused.stdout)\(refused.stderr)")

        let bad = try Self.docker(lab, config: config, ["login", "-u", "alice", "--password-stdin", registry.address],
                                  input: "wrong\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("login attempt to https://\(registry.address)/v2/ failed with status: "
                                        + "401 Unauthorized"), "\(bad.stderr)")

        let good = try Self.docker(lab, config: config, ["login", "-u", "alice", "--password-stdin", registry.address],
                                   input: "s3cret\n")
        #expect(good.status == 0 && good.stdout.contains("Login Succeeded"), "\(good.stdout)\(good.stderr)")
        let pushed = try Self.docker(lab, config: config, ["push", name])
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)\n\(lab.daemonLog())")
        let digest = try #require(Self.pushedDigest(pushed.stdout), "\(pushed.stdout)")
        #expect(try lab.docker(["rmi", name]).status == 0)
        let pulled = try Self.docker(lab, config: config, ["pull", name])
        #expect(pulled.stdout.contains("Digest: \(digest)"), "\(pulled.stdout)\(pulled.stderr)")
    }

    @Test func spliceClientLogsInPullsPushesAndSearches() throws {
        let lab = try DaemonLab("regcli")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let spliceBinary = DaemonLab.binary("splice", environment: "SPLICE_BIN")
        let config = lab.directory + "/splice-config"
        func splice(_ arguments: [String], input: String? = nil) throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            try runStatus("/usr/bin/env", ["SPLICE_HOST=unix://\(lab.socket)", "DOCKER_CONFIG=\(config)",
                                           "/usr/bin/timeout", "-s", "KILL", "120", spliceBinary] + arguments,
                          input: input)
        }
        let login = try splice(["login", "-u", "bob", "--password-stdin", registry.address], input: "pw\n")
        #expect(login.status == 0 && login.stdout == "Login Succeeded\n", "\(login.stdout)\(login.stderr)")
        var info = stat()
        #expect(stat(config + "/config.json", &info) == 0 && info.st_mode & 0o777 == 0o600)
        let saved = try String(contentsOfFile: config + "/config.json", encoding: .utf8)
        #expect(saved.contains("\"\(registry.address)\"") && saved.contains("\"auth\": \"Ym9iOnB3\""), "\(saved)")

        #expect(try splice(["tag", "bb", "\(registry.address)/cli:7"]).status == 0)
        let pushed = try splice(["push", "\(registry.address)/cli:7"])
        #expect(pushed.status == 0 && pushed.stdout.contains("7: digest: sha256:"), "\(pushed.stdout)\(pushed.stderr)")
        #expect(try splice(["rmi", "\(registry.address)/cli:7"]).status == 0)
        let pulled = try splice(["pull", "-q", "\(registry.address)/cli:7"])
        #expect(pulled.status == 0 && pulled.stdout == "\(registry.address)/cli:7\n",
                "\(pulled.stdout)\(pulled.stderr)")
        let all = try splice(["pull", "-a", "\(registry.address)/cli"])
        #expect(all.status == 0 && all.stdout.contains("Image is up to date"), "\(all.stdout)\(all.stderr)")
        let found = try splice(["search", "--limit", "5", "\(registry.address)/cl"])
        let names = found.stdout.split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["\(registry.address)/cli"], "\(found.stdout)\(found.stderr)")
        // `run` pulls an image it does not have, as docker's does.
        #expect(try splice(["rmi", "\(registry.address)/cli:7"]).status == 0)
        let auto = try splice(["run", "--rm", "--net=none", "\(registry.address)/cli:7", "echo", "auto"])
        #expect(auto.status == 0 && auto.stdout == "auto\n", "\(auto.stdout)\(auto.stderr)")
        let expected = "Unable to find image '\(registry.address)/cli:7' locally\n7: Pulling from cli\n"
        #expect(auto.stderr.hasPrefix(expected), "\(auto.stderr)")
        let logout = try splice(["logout", registry.address])
        #expect(logout.stdout == "Removing login credentials for \(registry.address)\n", "\(logout.stdout)")
        let none = try splice(["logout", registry.address])
        #expect(none.stdout == "Not logged in to \(registry.address)\n", "\(none.stdout)")
    }

    @Test func registryMirrorServesDockerHubNames() throws {
        let port = try RegistryServer.unusedPort()
        let lab = try DaemonLab("regmirror", daemonArguments: ["--registry-mirror", "http://127.0.0.1:\(port)"])
        let mirror = try RegistryServer(namespace: lab.namespaceName, port: port)
        // The mirror holds Docker Hub's `library/mirrored`; the lab's namespace has no route to Docker Hub.
        #expect(try lab.docker(["tag", "bb", "\(mirror.address)/library/mirrored:5"]).status == 0)
        #expect(try lab.docker(["push", "\(mirror.address)/library/mirrored:5"]).status == 0)
        let pulled = try lab.docker(["pull", "mirrored:5"])
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)\n\(lab.daemonLog())")
        #expect(pulled.stdout.hasPrefix("5: Pulling from library/mirrored\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.hasSuffix("docker.io/library/mirrored:5\n"), "\(pulled.stdout)")
        let names = try lab.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout
        #expect(names.split(separator: "\n").contains("mirrored:5"), "\(names)")
    }

    @Test func pullByDigest() throws {
        let lab = try DaemonLab("regdigest")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let name = "\(registry.address)/bb:1"
        #expect(try lab.docker(["tag", "bb", name]).status == 0)
        let pushed = try lab.docker(["push", name])
        let digest = try #require(Self.pushedDigest(pushed.stdout), "\(pushed.stdout)\(pushed.stderr)")
        #expect(try lab.docker(["rmi", name, "bb"]).status == 0)
        let byDigest = "\(registry.address)/bb@\(digest)"
        let pulled = try lab.docker(["pull", byDigest])
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)\n\(lab.daemonLog())")
        #expect(pulled.stdout.contains("Digest: \(digest)\n"), "\(pulled.stdout)")
        #expect(pulled.stdout.hasSuffix("\(byDigest)\n"), "\(pulled.stdout)")
        let run = try lab.docker(["run", "--rm", "--net=none", byDigest, "echo", "by digest"])
        #expect(run.stdout == "by digest\n", "\(run.stdout)\(run.stderr)")
        let wrong = "\(registry.address)/bb@sha256:" + String(repeating: "0", count: 64)
        let missing = try lab.docker(["pull", wrong])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("manifest for \(wrong) not found"), "\(missing.stderr)")
    }
}
