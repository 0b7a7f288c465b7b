import Foundation
import Glibc
import TestSupport
import Testing

/// Layer checks, sizes, repo digests and chunked pushes through a real `spliced` against Debian's `docker-registry`
/// on 127.0.0.1 in the lab's namespace, driven by the docker CLI and curl; `import` from an https URL served by a
/// local TLS server whose CA the test makes.
@Suite("registry layer checks, sizes, repo digests, chunked push and https import through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: RegistryServer.isInstalled, "needs Debian's docker-registry (scripts/setup.sh installs it)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct RegistryTransferTests {
    /// The digest in `TAG: digest: sha256:… size: N`.
    static func pushedDigest(_ output: String) -> String? {
        guard let range = output.range(of: "digest: sha256:") else { return nil }
        return "sha256:" + output[range.upperBound...].prefix(64)
    }

    /// The sha256 of `data` as `sha256:…`, by sha256sum.
    static func digest(ofFile path: String) throws -> String {
        let result = try runStatus("/usr/bin/sha256sum", [path])
        return "sha256:" + result.stdout.prefix(64)
    }

    /// Uploads `file` to `registry`'s `repository` monolithically with curl (`POST`, then `PUT ?digest=`).
    static func uploadBlob(_ file: String, digest: String, to registry: RegistryServer, repository: String) throws {
        let start = try registry.curl(["-s", "-D", "-", "-o", "/dev/null", "-X", "POST",
                                       registry.url("/v2/\(repository)/blobs/uploads/")])
        let location = try #require(start.stdout.split(separator: "\r\n").first {
            $0.lowercased().hasPrefix("location:")
        }.map { String($0.dropFirst("location:".count)).trimmingCharacters(in: .whitespaces) }, "\(start.stdout)")
        let url = (location.hasPrefix("http") ? location : registry.url(location))
            + (location.contains("?") ? "&" : "?") + "digest=\(digest)"
        let put = try registry.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                                     "-H", "Content-Type: application/octet-stream", "--data-binary", "@\(file)", url])
        #expect(put.stdout == "201", "\(put.stdout)\(put.stderr)")
    }

    /// Entries of a directory, or none when it does not exist.
    static func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// A layer whose diff id is not the config's is refused and leaves nothing in the store; sizes are the
    /// uncompressed ones; a push records the repo digest.
    @Test("diff ids checked, uncompressed sizes, repo digests after push",
          .enabled(if: DockerPy.isInstalled, "docker-py is not installed (scripts/setup.sh installs docker==7.1.0)"))
    func diffIDSizeAndRepoDigests() throws {
        let lab = try DaemonLab("regdiff")
        let registry = try RegistryServer(namespace: lab.namespaceName)
        let name = "\(registry.address)/bb:1"
        let importedSize = try lab.docker(["image", "inspect", "-f", "{{.Size}}", "bb"]).stdout
        #expect(try lab.docker(["tag", "bb", name]).status == 0)
        let pushed = try lab.docker(["push", name])
        let digest = try #require(Self.pushedDigest(pushed.stdout), "\(pushed.stdout)\(pushed.stderr)")

        // A push gives the image its digest in the repository, as dockerd's does.
        let repoDigests = try lab.docker(["image", "inspect", "-f", "{{json .RepoDigests}}", "bb"]).stdout
        #expect(repoDigests == "[\"\(registry.address)/bb@\(digest)\"]\n", "\(repoDigests)")
        let listed = try lab.docker(["images", "--digests", "--format", "{{.Repository}} {{.Digest}}"]).stdout
        #expect(listed.contains("\(registry.address)/bb \(digest)\n"), "\(listed)")

        // A manifest and config naming a wrong diff id for the real layer, pushed with curl.
        let manifestText = try registry.curl(["-s", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                                              "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
                                              registry.url("/v2/bb/manifests/1")])
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestText.stdout.utf8))
                                        as? [String: Any], "\(manifestText.stdout)")
        var configDescriptor = try #require(manifest["config"] as? [String: Any])
        let configDigest = try #require(configDescriptor["digest"] as? String)
        let configText = try registry.curl(["-s", registry.url("/v2/bb/blobs/\(configDigest)")])
        var config = try #require(try JSONSerialization.jsonObject(with: Data(configText.stdout.utf8))
                                    as? [String: Any])
        var rootfs = try #require(config["rootfs"] as? [String: Any])
        let diffIDs = try #require(rootfs["diff_ids"] as? [String])
        let wrong = "sha256:" + String(repeating: "ab", count: 32)
        rootfs["diff_ids"] = diffIDs.map { _ in wrong }
        config["rootfs"] = rootfs
        let configFile = lab.directory + "/bad-config.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configFile))
        let badConfigDigest = try Self.digest(ofFile: configFile)
        try Self.uploadBlob(configFile, digest: badConfigDigest, to: registry, repository: "bad")
        configDescriptor["digest"] = badConfigDigest
        configDescriptor["size"] = try Data(contentsOf: URL(fileURLWithPath: configFile)).count
        manifest["config"] = configDescriptor
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        for layer in layers {
            let layerDigest = try #require(layer["digest"] as? String)
            let mounted = try registry.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                             registry.url("/v2/bad/blobs/uploads/?mount=\(layerDigest)&from=bb")])
            #expect(mounted.stdout == "201", "\(mounted.stdout)\(mounted.stderr)")
        }
        let manifestFile = lab.directory + "/bad-manifest.json"
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestFile))
        let mediaType = try #require(manifest["mediaType"] as? String)
        let put = try registry.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                                     "-H", "Content-Type: \(mediaType)", "--data-binary", "@\(manifestFile)",
                                     registry.url("/v2/bad/manifests/1")])
        #expect(put.stdout == "201", "\(put.stdout)\(put.stderr)")

        // With the store empty the layer is downloaded, unpacked and refused.
        #expect(try lab.docker(["rmi", name, "bb"]).status == 0)
        let store = lab.graph + "/images"
        let refused = try lab.docker(["pull", "\(registry.address)/bad:1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("layers from manifest don't match image configuration"),
                "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains(wrong), "\(refused.stderr)")
        #expect(try lab.docker(["images", "-q"]).stdout.isEmpty)
        #expect(Self.entries(store + "/layers").filter { !$0.hasSuffix(".lock") } == [], "no unpacked layer stays")
        #expect(Self.entries(store + "/ingest") == [], "no partial blob stays")
        for layer in layers {
            let hex = try #require((layer["digest"] as? String)?.dropFirst("sha256:".count))
            #expect(!FileManager.default.fileExists(atPath: store + "/blobs/sha256/\(hex)"), "layer blob \(hex)")
        }
        #expect(!FileManager.default.fileExists(atPath: store + "/blobs/sha256/\(badConfigDigest.dropFirst(7))"))

        // The good image pulls, and reports the uncompressed size the imported one had.
        let pulled = try lab.docker(["pull", name])
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)\n\(lab.daemonLog())")
        let pulledSize = try lab.docker(["image", "inspect", "-f", "{{.Size}}", name]).stdout
        #expect(pulledSize == importedSize, "pulled \(pulledSize) imported \(importedSize)")
        // docker-py sees the same size and the repository digest of the pull.
        let script = """
            import docker
            image = docker.from_env(version="auto").images.get("\(name)")
            print(image.attrs["Size"], image.attrs["RepoDigests"])
            """
        let python = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", script])
        #expect(python.stdout == "\(importedSize.trimmingCharacters(in: .newlines)) "
                    + "['\(registry.address)/bb@\(digest)']\n", "\(python.stdout)\(python.stderr)")
        // So does splice.
        let spliceBinary = DaemonLab.binary("splice", environment: "SPLICE_BIN")
        let spliced = try runStatus("/usr/bin/env", ["SPLICE_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                     spliceBinary, "inspect", "-f", "{{.Size}} {{json .RepoDigests}}",
                                                     name])
        #expect(spliced.stdout == "\(importedSize.trimmingCharacters(in: .newlines)) "
                    + "[\"\(registry.address)/bb@\(digest)\"]\n", "\(spliced.stdout)\(spliced.stderr)")
        let compressed = layers.compactMap { $0["size"] as? Int }.reduce(0, +)
        #expect(Int(pulledSize.trimmingCharacters(in: .whitespacesAndNewlines)) != compressed)

        // A layer the store has under its real diff id, named with another one, is refused as well.
        let again = try lab.docker(["pull", "\(registry.address)/bad:1"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("layers from manifest don't match image configuration"), "\(again.stderr)")
        #expect(try lab.docker(["images", "-q"]).stdout.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: store + "/layers/\(wrong.dropFirst(7))"))
    }

    @Test("a layer above the chunk size is pushed in chunks and arrives intact; below it, in one PUT")
    func chunkedPush() throws {
        let lab = try DaemonLab("regchunk")
        let monolithic = try RegistryServer(namespace: lab.namespaceName, accessLog: true)
        let chunked = try RegistryServer(namespace: lab.namespaceName, accessLog: true)
        #expect(try lab.docker(["tag", "bb", "\(monolithic.address)/bb:1"]).status == 0)
        let one = try lab.docker(["push", "\(monolithic.address)/bb:1"])
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        #expect(!monolithic.log().contains("\"PATCH "), "\(monolithic.log())")

        lab.stopDaemon()
        try lab.startDaemon(environment: ["SPLICE_REGISTRY_CHUNK_SIZE": "65536"])
        let name = "\(chunked.address)/bb:1"
        #expect(try lab.docker(["tag", "bb", name]).status == 0)
        let pushed = try lab.docker(["push", name])
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)\n\(lab.daemonLog())")
        #expect(pushed.stdout.contains(": Pushed\n"), "\(pushed.stdout)")
        let patches = chunked.log().components(separatedBy: "\"PATCH /v2/bb/blobs/uploads/").count - 1
        let manifest = try chunked.curl(["-s", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                                         "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
                                         chunked.url("/v2/bb/manifests/1")])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8))
                                    as? [String: Any], "\(manifest.stdout)")
        let layers = try #require(parsed["layers"] as? [[String: Any]])
        var expectedPatches = 0
        for layer in layers {
            let digest = try #require(layer["digest"] as? String)
            let size = try #require(layer["size"] as? Int)
            expectedPatches += (size + 65535) / 65536
            let file = lab.directory + "/blob-\(digest.dropFirst(7).prefix(12))"
            let fetched = try chunked.curl(["-s", "-o", file, "-w", "%{http_code}",
                                            chunked.url("/v2/bb/blobs/\(digest)")])
            #expect(fetched.stdout == "200")
            #expect(try Self.digest(ofFile: file) == digest, "the registry holds the blob intact")
        }
        #expect(expectedPatches > 1 && patches == expectedPatches, "\(patches) PATCHes, \(expectedPatches) chunks")

        // Pulled back into an empty store, it runs.
        #expect(try lab.docker(["rmi", name, "\(monolithic.address)/bb:1", "bb"]).status == 0)
        let pulled = try lab.docker(["pull", name])
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)")
        let run = try lab.docker(["run", "--rm", "--net=none", name, "echo", "chunked"])
        #expect(run.stdout == "chunked\n", "\(run.stdout)\(run.stderr)")
    }

    @Test("import and ADD from an https URL verify the server against the CA bundle SSL_CERT_FILE names",
          .enabled(if: TLSFixture.openssl != nil, "needs the openssl CLI"))
    func importFromHTTPS() throws {
        let lab = try DaemonLab("regimport")
        let tls = try TLSFixture.make()
        defer { tls.remove() }
        let served = lab.directory + "/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        #expect(try lab.docker(["run", "--name", "src", "--net=none", "bb", "sh", "-c", "echo over-tls > /hello"])
            .status == 0)
        #expect(try lab.docker(["export", "-o", served + "/rootfs.tar", "src"]).status == 0)
        try "fetched over tls\n".write(toFile: served + "/greeting.txt", atomically: true, encoding: .utf8)
        let port = try RegistryServer.unusedPort()
        let script = """
            import http.server, ssl, os
            os.chdir("\(served)")
            server = http.server.HTTPServer(("127.0.0.1", \(port)), http.server.SimpleHTTPRequestHandler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain("\(tls.serverCert)", "\(tls.serverKey)")
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.serve_forever()
            """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/python3", "-c", script]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let url = "https://127.0.0.1:\(port)/rootfs.tar"
        var ready = false
        for _ in 0..<100 where !ready {
            let probe = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/curl",
                                                           "-s", "-o", "/dev/null", "--cacert", tls.ca, url])
            ready = probe.status == 0
            if !ready { usleep(50_000) }
        }
        try #require(ready, "the https server did not start")

        // The daemon does not know the CA: the server is not trusted.
        let untrusted = try lab.docker(["import", url, "imp:1"])
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("Get \"\(url)\""), "\(untrusted.stderr)")
        #expect(try lab.docker(["images", "-q", "imp"]).stdout.isEmpty)

        lab.stopDaemon()
        try lab.startDaemon(environment: ["SSL_CERT_FILE": tls.ca])
        let imported = try lab.docker(["import", url, "imp:1"])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)\n\(lab.daemonLog())")
        #expect(imported.stdout.hasPrefix("sha256:"), "\(imported.stdout)")
        let run = try lab.docker(["run", "--rm", "--net=none", "imp:1", "/bin/cat", "/hello"])
        #expect(run.stdout == "over-tls\n", "\(run.stdout)\(run.stderr)")

        // A Dockerfile's ADD <url> downloads a file of mode 0600, never extracted, as docker's does.
        let context = lab.directory + "/ctx"
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        try """
            FROM bb
            ADD https://127.0.0.1:\(port)/greeting.txt /dl/
            ADD \(url) /dl/r.tar
            """.write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let built = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "DOCKER_BUILDKIT=0",
                                                   "/usr/bin/timeout", "120", DaemonLab.docker ?? "docker", "build",
                                                   "-t", "added", context])
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)\n\(lab.daemonLog())")
        let check = "stat -c '%a %s' /dl/greeting.txt; cat /dl/greeting.txt; [ -f /dl/r.tar ] && echo file"
        let added = try lab.docker(["run", "--rm", "--net=none", "added", "sh", "-c", check])
        #expect(added.stdout == "600 17\nfetched over tls\nfile\n", "\(added.stdout)\(added.stderr)")
        try "FROM bb\nADD https://127.0.0.1:\(port)/missing.txt /dl/\n".write(
            toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let missing = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "DOCKER_BUILDKIT=0",
                                                     "/usr/bin/timeout", "120", DaemonLab.docker ?? "docker", "build",
                                                     context])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Dockerfile line 2: Get \"https://127.0.0.1:\(port)/missing.txt\": 404"),
                "\(missing.stdout)\(missing.stderr)")
        try "FROM bb\nCOPY https://127.0.0.1:\(port)/greeting.txt /dl/\n".write(
            toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let copied = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "DOCKER_BUILDKIT=0",
                                                    "/usr/bin/timeout", "120", DaemonLab.docker ?? "docker", "build",
                                                    context])
        #expect(copied.status != 0)
        #expect(copied.stderr.contains("source can't be a URL for COPY"), "\(copied.stdout)\(copied.stderr)")
        #expect(try lab.docker(["rm", "src"]).status == 0)
    }
}
