import Foundation
import Glibc
import SpliceImages
import TestSupport
import Testing

/// `docker save` and `docker load` in the store: one tar that is a docker-archive and an OCI layout, and loads of
/// each form (also dockerd's legacy layout, `<id>/layer.tar` and `<config hex>.json`) giving back the same image id.
@Suite struct SaveLoadTests {
    /// Saves `names` from `fixture`'s store into `directory/name`.
    func save(_ fixture: StoreFixture, _ names: [String], to name: String) throws -> String {
        let path = fixture.directory.path + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        try fixture.store.save(names, to: fd)
        return path
    }

    /// Loads the tar at `path` into a fresh store.
    func load(_ path: String, into directory: TemporaryDirectory) throws -> (ImageStore, [ImageStore.Loaded]) {
        let store = try ImageStore(root: directory.path + "/loaded-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        return (store, try store.load(from: fd, scratch: directory.path))
    }

    /// Rewrites the saved tar at `source` with Python: `legacy` keeps only dockerd's old layout, `oci` drops
    /// `manifest.json` and `repositories`.
    func rewrite(_ source: String, as form: String) throws -> String {
        let output = source + "." + form
        try run("/usr/bin/python3", ["-c", """
            import gzip, io, json, sys, tarfile
            src, out, form = sys.argv[1], sys.argv[2], sys.argv[3]
            files = {m.name: tarfile.open(src).extractfile(m).read()
                     for m in tarfile.open(src).getmembers() if m.isfile()}
            t = tarfile.open(out, 'w')
            def add(name, data):
                info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            if form == 'oci':
                for name, data in files.items():
                    if name not in ('manifest.json', 'repositories'): add(name, data)
            else:
                entries = []
                for entry in json.loads(files['manifest.json']):
                    config = entry['Config'].split('/')[-1] + '.json'
                    add(config, files[entry['Config']])
                    layers = []
                    for index, layer in enumerate(entry['Layers']):
                        layer_id = '%064x' % (index + 1)
                        add(layer_id + '/VERSION', b'1.0')
                        add(layer_id + '/json', json.dumps({'id': layer_id}).encode())
                        add(layer_id + '/layer.tar', gzip.decompress(files[layer]))
                        layers.append(layer_id + '/layer.tar')
                    entries.append({'Config': config, 'RepoTags': entry['RepoTags'], 'Layers': layers})
                add('manifest.json', json.dumps(entries).encode())
            t.close()
            """, source, output, form])
        return output
    }

    @Test func saveHoldsBothLayoutsAndLoadsBackTheSameIDs() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "bb:latest"))
        let second = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "app:v1", message: "m"))
        try fixture.store.tag(source: "app:v1", target: "app:v2")
        let tar = try save(fixture, ["bb", "app:v1", "app:v2"], to: "save.tar")
        let names = Set(try run("/bin/tar", ["-tf", tar]).split(separator: "\n").map(String.init))
        #expect(names.isSuperset(of: ["manifest.json", "repositories", "oci-layout", "index.json", "blobs/sha256/"]))
        #expect(names.contains("blobs/sha256/" + first.hex))

        for path in [tar, try rewrite(tar, as: "legacy"), try rewrite(tar, as: "oci")] {
            let (store, loaded) = try load(path, into: fixture.directory)
            #expect(Set(loaded) == [.tagged("bb:latest"), .tagged("app:v1"), .tagged("app:v2")], "\(path)")
            #expect(try store.resolve("bb") == first, "\(path)")
            #expect(try store.resolve("app:v2") == second, "\(path)")
            let lower = try #require(try store.lowerDirectories(for: "bb").first)
            #expect(try String(contentsOfFile: lower + "/etc/hostname", encoding: .utf8) == "splice\n")
        }
    }

    @Test func anImageSavedByIDLoadsUntagged() throws {
        let fixture = try StoreFixture()
        let id = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "bb:latest"))
        let tar = try save(fixture, [id.description], to: "by-id.tar")
        let (store, loaded) = try load(tar, into: fixture.directory)
        #expect(loaded == [.untagged(id)])
        #expect(loaded.first?.message == "Loaded image ID: \(id)")
        #expect(try store.images().map(\.Id) == [id.description])
    }

    @Test func aLayerThatDoesNotMatchItsConfigIsRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "bb:latest"))
        let tar = try save(fixture, ["bb"], to: "save.tar")
        let legacy = try rewrite(tar, as: "legacy")
        // Swap the layer for another tar: its digest no longer matches the config's diff_ids.
        let tampered = legacy + ".tampered"
        try run("/usr/bin/python3", ["-c", """
            import io, sys, tarfile
            src = tarfile.open(sys.argv[1]); out = tarfile.open(sys.argv[2], 'w')
            for m in src.getmembers():
                data = src.extractfile(m).read() if m.isfile() else None
                if m.name.endswith('layer.tar'):
                    buf = io.BytesIO(); inner = tarfile.open(fileobj=buf, mode='w')
                    i = tarfile.TarInfo('other'); i.size = 1; inner.addfile(i, io.BytesIO(b'x')); inner.close()
                    data = buf.getvalue(); m.size = len(data)
                out.addfile(m, io.BytesIO(data) if data is not None else None)
            out.close()
            """, legacy, tampered])
        let error = try #require(throws: ImageError.self) { try load(tampered, into: fixture.directory) }
        #expect(error.message.contains("the config expects"), "\(error.message)")
    }

    /// Found while adding the `tar` fuzz target: a FIFO named `manifest.json` (or a layer) blocked `docker load`
    /// forever in `open(2)`; it is refused as not a regular file.
    @Test(arguments: ["manifest", "layer"])
    func aFIFOInTheArchiveIsRefused(as role: String) throws {
        let directory = try TemporaryDirectory()
        let tar = directory.path + "/fifo.tar"
        try run("/usr/bin/python3", ["-c", """
            import io, json, sys, tarfile
            t = tarfile.open(sys.argv[1], 'w')
            def add(name, data=None):
                info = tarfile.TarInfo(name)
                if data is None:
                    info.type = tarfile.FIFOTYPE; t.addfile(info)
                else:
                    info.size = len(data); t.addfile(info, io.BytesIO(data))
            if sys.argv[2] == 'manifest':
                add('manifest.json')
            else:
                config = json.dumps({'architecture': 'amd64', 'os': 'linux',
                                     'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + '0' * 64]}}).encode()
                add('c.json', config)
                add('manifest.json', json.dumps([{'Config': 'c.json', 'Layers': ['l.tar']}]).encode())
                add('l.tar')
            t.close()
            """, tar, role])
        let error = try #require(throws: ImageError.self) { try load(tar, into: directory) }
        let path = role == "manifest" ? "manifest.json" : "layer l.tar"
        #expect(error.message == "invalid archive: \(path) is not a regular file")
    }
}
