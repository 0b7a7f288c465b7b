import Foundation
import SpliceImages
import SystemKit
import Testing

@Suite struct ImageStoreTests {
    /// Imports a distinct image (the message changes the config, so the id) and tags it when asked.
    func makeImage(_ fixture: StoreFixture, _ reference: String?, message: String) throws -> ImageID {
        try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: reference, message: message))
    }

    @Test func listsWithDanglingAndReferenceFilters() throws {
        let fixture = try StoreFixture()
        let old = try makeImage(fixture, "bb", message: "one")
        let new = try makeImage(fixture, "bb", message: "two")  // moves bb:latest; the old image dangles
        try fixture.store.tag(source: "bb", target: "127.0.0.1:5000/bb")
        let other = try makeImage(fixture, "user/app:dev", message: "three")

        let all = try fixture.store.images(all: true)
        #expect(Set(all.map(\.Id)) == Set([old, new, other].map(\.description)))
        let danglingRow = try #require(all.first { $0.Id == old.description })
        #expect(danglingRow.RepoTags == ["<none>:<none>"])
        #expect(danglingRow.RepoDigests == ["<none>@<none>"])
        let tagged = try #require(all.first { $0.Id == new.description })
        #expect(tagged.RepoTags == ["127.0.0.1:5000/bb:latest", "bb:latest"])
        #expect(tagged.Size > 0 && tagged.VirtualSize == tagged.Size && tagged.SharedSize == -1)

        #expect(try fixture.store.images(filters: ImageFilters(dangling: true)).map(\.Id) == [old.description])
        #expect(
            try Set(fixture.store.images(filters: ImageFilters(dangling: false)).map(\.Id))
                == Set([new, other].map(\.description)))
        let byRepo = try fixture.store.images(filters: ImageFilters(references: ["bb"]))
        #expect(byRepo.map(\.Id) == [new.description])
        #expect(byRepo.first?.RepoTags == ["bb:latest"])
        #expect(try fixture.store.images(filters: ImageFilters(references: ["*/app"])).map(\.Id) == [other.description])
        #expect(try fixture.store.images(filters: ImageFilters(references: ["*"])).map(\.Id) == [new.description])
        #expect(try fixture.store.images(filters: ImageFilters(references: ["bb:l*"])).map(\.Id) == [new.description])
        #expect(try fixture.store.images(filters: ImageFilters(references: ["*:dev"])).isEmpty)
        #expect(try fixture.store.images(filters: ImageFilters(references: ["user/*:dev"])).count == 1)
        #expect(
            try ImageFilters(["dangling": ["true"], "reference": ["x"]])
                == ImageFilters(dangling: true, references: ["x"]))
        #expect(throws: ImageError.self) { try ImageFilters(["label": ["a"]]) }

        let encoded = try JSONEncoder().encode(danglingRow)
        let object = try #require(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        // The API's ImageSummary leaves unset labels out.
        #expect(object["Labels"] == nil)
        #expect(object["Containers"] as? Int == -1)
    }

    @Test func resolvesByNameIdAndPrefix() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "bb", message: "m")
        for name in [
            "bb", "bb:latest", "docker.io/library/bb", "docker.io/library/bb:latest", id.description, id.hex,
            String(id.hex.prefix(12)), "sha256:" + id.hex.prefix(6),
        ] {
            #expect(try fixture.store.resolve(name) == id, "\(name)")
        }
        #expect(throws: ImageError(.notFound, "No such image: nosuchimage:latest")) {
            try fixture.store.resolve("nosuchimage")
        }
        #expect(throws: ImageError.noSuchImage("sha256:" + String(repeating: "0", count: 64))) {
            try fixture.store.resolve("sha256:" + String(repeating: "0", count: 64))
        }
    }

    @Test func ambiguousPrefixIsAnError() throws {
        let fixture = try StoreFixture()
        var byFirst: [Character: [ImageID]] = [:]
        var counter = 0
        // 17 images always share a first hex digit (pigeonhole); stop as soon as two do.
        while byFirst.values.allSatisfy({ $0.count < 2 }) {
            counter += 1
            let id = try makeImage(fixture, nil, message: "image \(counter)")
            byFirst[id.hex.first ?? "0", default: []].append(id)
        }
        let pair = try #require(byFirst.values.first { $0.count == 2 })
        let shared = String(zip(pair[0].hex, pair[1].hex).prefix { $0 == $1 }.map(\.0))
        #expect(throws: ImageError.self) { try fixture.store.resolve(shared) }
        do {
            _ = try fixture.store.resolve(shared)
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("ambiguous"))
        }
        #expect(try fixture.store.resolve(String(pair[0].hex.prefix(shared.count + 1))) == pair[0])
    }

    @Test func tagRules() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "bb", message: "m")
        try fixture.store.tag(source: String(id.hex.prefix(8)), target: "docker.io/library/copy:v2")
        #expect(try fixture.store.resolve("copy:v2") == id)
        #expect(throws: ImageError.self) { try fixture.store.tag(source: "bb", target: "Bad") }
        #expect(throws: ImageError.self) { try fixture.store.tag(source: "bb", target: id.hex) }
        #expect(throws: ImageError.noSuchImage("nope:latest")) { try fixture.store.tag(source: "nope", target: "x") }
    }

    @Test func removeUntagsThenDeletesAndCollects() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "cap-tagged:t1", message: "m")
        try fixture.store.tag(source: "cap-tagged:t1", target: "cap-tagged:t2")
        #expect(try fixture.store.remove(reference: "cap-tagged:t1") == [.untagged("cap-tagged:t1")])
        let layer = try #require(fixture.store.image(named: "cap-tagged:t2").layers.first)
        _ = try fixture.store.preparedLayer(layer)
        #expect(fixture.store.blobs.digests().count == 3)
        #expect(
            try fixture.store.remove(reference: "cap-tagged:t2") == [
                .untagged("cap-tagged:t2"), .deleted(id.description),
            ])
        #expect(try fixture.store.images().isEmpty)
        #expect(fixture.store.blobs.digests().isEmpty)
        #expect(Directory.entries(fixture.store.root + "/layers").isEmpty)
        #expect(throws: ImageError.noSuchImage("cap-tagged:t2")) {
            try fixture.store.remove(reference: "cap-tagged:t2")
        }
    }

    @Test func removeRefusesImagesInUseUnlessForced() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "cap-committed:v1", message: "m")
        let container = "811dfaed5e58" + String(repeating: "0", count: 52)
        let inUse: (ImageID) -> [String] = { $0 == id ? [container] : [] }
        let message =
            "conflict: unable to remove repository reference \"cap-committed:v1\" (must force) - container "
            + "811dfaed5e58 is using its referenced image \(id.shortID)"
        #expect(throws: ImageError(.conflict, message)) {
            try fixture.store.remove(reference: "cap-committed:v1", isInUse: inUse)
        }
        #expect(throws: ImageError.self) { try fixture.store.remove(reference: id.hex, isInUse: inUse) }
        #expect(
            try fixture.store.remove(reference: "cap-committed:v1", force: true, isInUse: inUse)
                == [.untagged("cap-committed:v1"), .deleted(id.description)])
    }

    @Test func removeByIdWithSeveralTagsNeedsForce() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "a", message: "m")
        try fixture.store.tag(source: "a", target: "b")
        do {
            _ = try fixture.store.remove(reference: id.shortID)
            Issue.record("expected a conflict")
        } catch {
            #expect(error.code == .conflict)
            #expect(
                error.message
                    == "conflict: unable to delete \(id.shortID) (must be forced) - "
                    + "image is referenced in multiple repositories")
        }
        #expect(
            try fixture.store.remove(reference: id.shortID, force: true)
                == [.untagged("a:latest"), .untagged("b:latest"), .deleted(id.description)])
        let encoded = try JSONEncoder().encode([RemovalEvent.untagged("a:latest"), .deleted(id.description)])
        #expect(
            String(decoding: encoded, as: UTF8.self) == #"[{"Untagged":"a:latest"},{"Deleted":"\#(id.description)"}]"#)
    }

    @Test func crashLeftoversAreIgnoredOrRedone() throws {
        let fixture = try StoreFixture()
        let id = try makeImage(fixture, "bb", message: "m")
        // A blob write that crashed before its rename: a temp file in ingest/ is never a blob.
        try fixture.directory.write("images/ingest/999-123", "partial")
        // A truncated file where a blob should be is detected on read.
        #expect(fixture.store.blobs.digests().count == 3)
        #expect(try fixture.store.images().count == 1)
        try fixture.store.collectGarbage()
        #expect(FileManager.default.fileExists(atPath: fixture.store.root + "/ingest/999-123"))

        // An unpack that crashed before its marker is thrown away and redone (import unpacks at once: take the
        // marker away to play the crash).
        let layer = try #require(fixture.store.image(named: "bb").layers.first)
        let directory = fixture.store.root + "/layers/" + layer.diffID.hex
        try FileManager.default.removeItem(atPath: directory + "/complete")
        try fixture.directory.write("images/layers/\(layer.diffID.hex)/diff/stale", "half-written")
        let diff = try fixture.store.preparedLayer(layer)
        #expect(diff == directory + "/diff")
        #expect(!FileManager.default.fileExists(atPath: diff + "/stale"))
        #expect(try String(contentsOfFile: diff + "/etc/hostname", encoding: .utf8) == "splice\n")
        #expect(FileManager.default.fileExists(atPath: directory + "/complete"))
        // With the marker the directory is reused as is.
        try fixture.directory.write("images/layers/\(layer.diffID.hex)/diff/extra", "kept")
        #expect(try fixture.store.preparedLayer(layer) == diff)
        #expect(FileManager.default.fileExists(atPath: diff + "/extra"))
        #expect(try fixture.store.lowerDirectories(for: id.description) == [diff])

        // A corrupt blob is reported, not trusted.
        let manifest = fixture.store.blobs.path(for: try fixture.store.image(named: "bb").manifestDescriptor.digest)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: manifest))
        #expect(throws: ImageError.self) { try fixture.store.image(named: "bb") }
    }
}
