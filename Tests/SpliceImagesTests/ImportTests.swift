import Foundation
import SpliceImages
import SystemKit
import Testing

@Suite struct ImportTests {
    @Test(arguments: [false, true])
    func importStoresVerifiedBlobs(gzip: Bool) throws {
        let fixture = try StoreFixture(gzip: gzip)
        let id = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "bb"))
        let image = try fixture.store.image(named: "bb:latest")
        #expect(image.id == id)
        #expect(image.references.map(\.description) == ["bb:latest"])

        // Every blob's file name is the sha256 of its bytes, computed independently.
        for digest in fixture.store.blobs.digests() {
            #expect(try Shell.sha256(fixture.store.blobs.path(for: digest)) == digest.description)
        }
        #expect(try Shell.sha256(fixture.store.blobs.path(for: id)) == id.description)

        // The layer is gzip'd and its diff id is the sha256 of the plain tar.
        let layer = try #require(image.layers.first)
        #expect(image.layers.count == 1)
        #expect(layer.blob.mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")
        let blobPath = fixture.store.blobs.path(for: layer.blob.digest)
        let plainDigest = try Shell.sh("gzip -dc '\(blobPath)' | sha256sum").prefix(64)
        #expect(layer.diffID.hex == String(plainDigest))
        let original =
            gzip
            ? try Shell.sh("gzip -dc '\(fixture.tarPath)' | sha256sum") : try Shell.sh("sha256sum '\(fixture.tarPath)'")
        #expect(String(original.prefix(64)) == layer.diffID.hex)
        #expect(
            layer.blob.size
                == Int64(try Shell.sh("stat -c %s '\(blobPath)'").trimmingCharacters(in: .whitespacesAndNewlines)))

        // The config and manifest have the OCI shapes.
        let config = try fixture.json(id)
        #expect(config["architecture"] as? String == "amd64")
        #expect(config["os"] as? String == "linux")
        let rootfs = try #require(config["rootfs"] as? [String: Any])
        #expect(rootfs["type"] as? String == "layers")
        #expect(rootfs["diff_ids"] as? [String] == [layer.diffID.description])
        let history = try #require(config["history"] as? [[String: Any]])
        #expect(history.first?["comment"] as? String == "Imported from -")
        #expect(Timestamp(rfc3339: config["created"] as? String ?? "") != nil)
        let manifest = try fixture.json(image.manifestDescriptor.digest)
        #expect(manifest["schemaVersion"] as? Int == 2)
        #expect(manifest["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")

        // The layout files.
        let root = fixture.store.root
        #expect(try String(contentsOfFile: root + "/oci-layout", encoding: .utf8) == #"{"imageLayoutVersion":"1.0.0"}"#)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/index.json")))
        let manifests = try #require((index as? [String: Any])?["manifests"] as? [[String: Any]])
        #expect(manifests.count == 1)
        #expect((manifests[0]["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"] == "bb:latest")
        #expect(manifests[0]["digest"] as? String == image.manifestDescriptor.digest.description)
    }

    @Test func plainAndGzipInputGiveTheSameImageContent() throws {
        let plain = try StoreFixture()
        let gzip = try StoreFixture(gzip: true)
        try Shell.sh("gzip -nc '\(plain.tarPath)' > '\(gzip.tarPath)'")
        let a = try plain.store.image(named: plain.store.importFile(plain.tarPath).description)
        let b = try gzip.store.image(named: gzip.store.importFile(gzip.tarPath).description)
        #expect(a.layers == b.layers)
    }

    @Test func importReadsAPipe() throws {
        let fixture = try StoreFixture()
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "tar -C '\(fixture.directory.path)/rootfs' -c ."]
        process.standardOutput = pipe
        try process.run()
        let id = try fixture.store.importImage(
            from: pipe.fileHandleForReading.fileDescriptor, options: ImportOptions(reference: "piped:v1"))
        process.waitUntilExit()
        #expect(try fixture.store.resolve("piped:v1") == id)
    }

    @Test func changesAndMessageReachTheConfig() throws {
        let fixture = try StoreFixture()
        let options = ImportOptions(
            reference: "cap-imported:v1",
            changes: [
                #"CMD ["/bin/sh"]"#, "ENTRYPOINT /bin/entry --flag", "ENV A=1 B=\"two words\"", "ENV C 3",
                "WORKDIR /srv", "EXPOSE 80 53/udp", "USER 1000:1000", #"LABEL a=b "c d"=e"#,
            ],
            message: "imported msg")
        let id = try fixture.store.importFile(fixture.tarPath, options)
        let inspect = try fixture.store.inspect("cap-imported:v1")
        #expect(inspect.Id == id.description)
        #expect(inspect.Comment == "imported msg")
        #expect(inspect.Config.Cmd == ["/bin/sh"])
        #expect(inspect.Config.Entrypoint == ["/bin/sh", "-c", "/bin/entry --flag"])
        #expect(inspect.Config.Env == ["A=1", "B=two words", "C=3"])
        #expect(inspect.Config.WorkingDir == "/srv")
        #expect(inspect.Config.ExposedPorts.map { Set($0.keys) } == ["80/tcp", "53/udp"])
        #expect(inspect.Config.User == "1000:1000")
        #expect(inspect.Config.Labels == ["a": "b", "c d": "e"])
        let history = try #require(fixture.store.image(named: "cap-imported:v1").configuration.history)
        #expect(history.map(\.comment) == ["imported msg"])
        let rows = try fixture.store.history(of: "cap-imported:v1")
        #expect(rows.count == 1)
        #expect(rows.first?.Id == id.description)
        #expect(rows.first?.Tags == ["cap-imported:v1"])
        #expect(rows.first?.Comment == "imported msg")
        #expect(rows.first?.CreatedBy == "")
        #expect(try rows.first?.Size == fixture.store.image(named: "cap-imported:v1").size)
    }

    @Test func invalidInputIsRejectedAndLeavesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.directory.write("junk", String(repeating: "not a tar ", count: 100))
        #expect(throws: ImageError.self) { try fixture.store.importFile(fixture.directory.path + "/junk") }
        try fixture.directory.write("empty", "")
        #expect(throws: ImageError.self) { try fixture.store.importFile(fixture.directory.path + "/empty") }
        #expect(try fixture.store.images().isEmpty)
        #expect(Directory.entries(fixture.store.blobs.ingestDirectory).isEmpty)
        #expect(throws: ImageError.self) {
            try fixture.store.importFile(fixture.tarPath, ImportOptions(changes: ["FROM scratch"]))
        }
    }

    @Test func inspectMatchesDockerShape() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "bb", changes: [#"CMD ["sh"]"#]))
        let inspect = try fixture.store.inspect("bb")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let object = try #require(
            JSONSerialization.jsonObject(with: encoder.encode(inspect)) as? [String: Any])
        for key in [
            "Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Container", "ContainerConfig",
            "DockerVersion", "Author", "Config", "Architecture", "Os", "Size", "VirtualSize", "GraphDriver",
            "RootFS", "Metadata",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let config = try #require(object["Config"] as? [String: Any])
        // The API's ContainerConfig leaves an unset `Env` out and sends `Entrypoint` as null.
        #expect(config["Env"] == nil)
        #expect(config["Entrypoint"] is NSNull)
        #expect(config["Cmd"] as? [String] == ["sh"])
        let rootFS = try #require(object["RootFS"] as? [String: Any])
        #expect(rootFS["Type"] as? String == "layers")
        #expect((object["Created"] as? String)?.hasSuffix("Z") == true)
        #expect(inspect.Size > 0 && inspect.Size == inspect.VirtualSize)
    }
}
