#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SystemKit
import struct EngineErrors.EngineError

extension VolumeStore {
    /// The metadata file of volume `name`.
    func metadataPath(of name: String) -> String { "\(root)/\(name)/volume.json" }

    /// The names of every volume, sorted.
    public func names() -> [String] {
        Directory.entries(root).filter { !$0.hasPrefix(".") && exists($0) }.sorted()
    }

    /// Volume `name`'s labels and options (empty for volumes made before metadata was kept).
    public func metadata(of name: String) -> VolumeMetadata {
        guard let bytes = try? AtomicFile.read(metadataPath(of: name)),
              let metadata = try? JSONDecoder().decode(VolumeMetadata.self, from: Data(bytes))
        else { return VolumeMetadata() }
        return metadata
    }

    /// Writes volume `name`'s metadata to `path`.
    func writeMetadata(_ metadata: VolumeMetadata, to path: String, name: String) throws(EngineError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(metadata)), to: path, mode: 0o600)
        } catch {
            throw EngineError(.internal, "create \(name): cannot save the volume's metadata", cause: error)
        }
    }

    /// Volume `name`'s creation time as dockerd shows it: its directory's modification time, RFC 3339 in seconds.
    public func createdAt(of name: String) -> String {
        var info = stat()
        guard stat("\(root)/\(name)", &info) == 0 else { return "" }
        return RFC3339.format(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: 0)
    }

    /// The bytes the volume's content uses (`system df`, `prune`).
    public func size(of name: String) -> Int64 { Directory.apparentSize(of: dataPath(of: name)) }
}
