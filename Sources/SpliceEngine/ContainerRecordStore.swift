#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemKit
import struct DockerModels.EngineError

/// Container records on disk: one directory per container under `<graph>/containers`, the record written
/// atomically as `container.json`.
public struct ContainerRecordStore: Sendable {
    /// `<graph>/containers`.
    public let directory: String

    /// Opens (and creates) the store.
    public init(directory: String) throws(EngineError) {
        self.directory = directory
        do { try AtomicFile.makeDirectories(directory) } catch {
            throw EngineError(.internal, "cannot create \(directory): \(error)")
        }
    }

    /// The directory of container `id`.
    public func path(of id: String) -> String { "\(directory)/\(id)" }

    /// Writes `record` atomically.
    public func save(_ record: ContainerRecord) throws(EngineError) {
        do {
            try AtomicFile.makeDirectories(path(of: record.id))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let bytes = Array(try encoder.encode(record))
            try AtomicFile.write(bytes, to: path(of: record.id) + "/container.json")
        } catch let error as SystemError {
            throw EngineError(.internal, "cannot save container \(record.id): \(error.goDescription)", cause: error)
        } catch {
            throw EngineError(.internal, "cannot save container \(record.id): \(error)")
        }
    }

    /// Every readable record; unreadable directories are skipped.
    public func loadAll() -> [ContainerRecord] {
        Directory.entries(directory).compactMap { entry in
            guard ContainerID.isFull(entry),
                  let bytes = try? AtomicFile.read(path(of: entry) + "/container.json") else { return nil }
            return try? JSONDecoder().decode(ContainerRecord.self, from: Data(bytes))
        }
    }

    /// Deletes container `id`'s directory and everything in it.
    public func remove(_ id: String) throws(EngineError) {
        guard FileManager.default.fileExists(atPath: path(of: id)) else { return }
        do { try FileManager.default.removeItem(atPath: path(of: id)) } catch {
            throw EngineError(.internal, "cannot remove the files of container \(id): \(error)")
        }
    }
}
