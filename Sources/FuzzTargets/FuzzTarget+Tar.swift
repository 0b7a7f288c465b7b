#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceImages
import SystemKit

extension FuzzTarget {
    /// The largest tree one input may expand to (the product's limits are larger; this keeps a run fast).
    static let tarLimit: Int64 = 8 << 20

    /// The directories between the scratch base and the extraction targets: a name has to climb seven levels to
    /// leave the scratch base, and one level to leave its target, which the check after each run would see.
    static let tarNest = ["a", "b", "c", "d", "e", "f"]

    /// The extraction targets, each a directory under the nest.
    static let tarTargets = ["cp", "layer-apply", "layer-overlay", "store", "load"]

    /// `tar`: the bytes as a tar (any compression libarchive detects) through every ingestion path of the daemon:
    /// `docker cp` into a container (`ArchiveExtractor`), a layer unpacked both ways (`LayerUnpacker`), `docker
    /// load` and `docker import` into a scratch image store. Each run starts from an empty scratch tree under /tmp
    /// and removes it; a file that appears beside a target, or anywhere up the scratch tree, is a finding (the
    /// process stops with the offending path), as is a trap.
    static func runTar(_ bytes: [UInt8]) {
        let base = "/tmp/splice-fuzz-tar-\(getpid())"
        let nest = base + "/" + tarNest.joined(separator: "/")
        let files = FileManager.default
        try? files.removeItem(atPath: base)
        for target in tarTargets { try? AtomicFile.makeDirectories(nest + "/" + target) }
        let input = base + "/input"
        guard files.createFile(atPath: input, contents: Data(bytes)) else { fatalError("tar: cannot write \(input)") }
        defer { try? files.removeItem(atPath: base) }

        ingest(input) { fd in
            let root = try RootDirectory.open(nest + "/cp")
            try ArchiveExtractor(root: root, target: [], options: ExtractOptions(maximumBytes: tarLimit))
                .extract(from: fd)
        }
        ingest(input) { _ in
            try LayerUnpacker.unpack(archiveAt: input, into: nest + "/layer-apply", whiteouts: .apply,
                                     maximumBytes: tarLimit)
        }
        ingest(input) { _ in
            try LayerUnpacker.unpack(archiveAt: input, into: nest + "/layer-overlay", whiteouts: .overlay,
                                     maximumBytes: tarLimit)
        }
        let store = try? ImageStore(root: nest + "/store")
        ingest(input) { fd in _ = try store?.load(from: fd, scratch: nest + "/load", maximumBytes: tarLimit) }
        ingest(input) { fd in _ = try store?.importImage(from: fd) }

        var expected: [String: Set<String>] = [base: ["input", tarNest[0]]]
        var path = base
        for (index, name) in tarNest.enumerated() {
            path += "/" + name
            expected[path] = index + 1 < tarNest.count ? [tarNest[index + 1]] : Set(tarTargets)
        }
        for (directory, names) in expected {
            let found = Set((try? files.contentsOfDirectory(atPath: directory)) ?? [])
            if found != names {
                fatalError("tar: an archive wrote outside its target: \(directory) holds \(found.sorted())")
            }
        }
    }

    /// Runs one ingestion with the input open from its start; its errors are the expected refusals.
    private static func ingest(_ input: String, _ body: (Int32) throws -> Void) {
        guard let file = try? FileDescriptor.open(input, O_RDONLY | O_CLOEXEC) else { fatalError("tar: cannot open") }
        try? body(file.rawValue)
    }
}
