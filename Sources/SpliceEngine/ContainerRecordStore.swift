#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SystemKit
import struct EngineErrors.EngineError

/// Container records on disk: one directory per container under `<graph>/containers`, the record written
/// atomically as `container.json`.
public struct ContainerRecordStore: Sendable {
    /// `<graph>/containers`.
    public let directory: String

    /// The name prefix of a removed container's directory waiting for its deletion (`discard`).
    static let discardedPrefix = ".removed-"

    /// Opens (and creates) the store, and deletes what removals cut by a daemon stop left (`discard`).
    public init(directory: String) throws(EngineError) {
        self.directory = directory
        do { try AtomicFile.makeDirectories(directory) } catch {
            throw EngineError(.internal, "cannot create \(directory): \(error)", cause: error)
        }
        for entry in Directory.entries(directory) where entry.hasPrefix(Self.discardedPrefix) {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(entry)")
        }
    }

    /// The directory of container `id`.
    public func path(of id: String) -> String { "\(directory)/\(id)" }

    /// Writes `record` atomically; `durable` false skips the sync (`AtomicFile.write`), for the state changes of a
    /// start and an exit: after a power loss every container is stopped anyway, and an older copy of its state
    /// (created, starting, running) is what the reconcile at the next start already handles.
    public func save(_ record: ContainerRecord, durable: Bool = true) throws(EngineError) {
        do {
            try AtomicFile.makeDirectories(path(of: record.id))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let bytes = Array(try encoder.encode(record))
            try AtomicFile.write(bytes, to: path(of: record.id) + "/container.json", durable: durable)
        } catch let error as SystemError {
            throw EngineError(.internal, "cannot save container \(record.id): \(error.goDescription)", cause: error)
        } catch {
            throw EngineError(.internal, "cannot save container \(record.id): \(error)", cause: error)
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

    /// Takes container `id`'s directory out of the store with one `rename(2)` (to a name `loadAll` skips) and
    /// returns the path that `remove(discarded:)` then deletes off the hot path: a removal's waiters (`run --rm`)
    /// need not wait for the unlinks of the whole tree. Nil when there was nothing to rename or the rename failed
    /// (then the directory is deleted here).
    public func discard(_ id: String) -> String? {
        let trash = "\(directory)/\(Self.discardedPrefix)\(id)"
        if rename(path(of: id), trash) == 0 { return trash }
        try? remove(id)
        return nil
    }

    /// Deletes a directory that `discard` set aside.
    public static func remove(discarded path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Deletes container `id`'s directory and everything in it.
    public func remove(_ id: String) throws(EngineError) {
        guard FileManager.default.fileExists(atPath: path(of: id)) else { return }
        do { try FileManager.default.removeItem(atPath: path(of: id)) } catch {
            throw EngineError(.internal, "cannot remove the files of container \(id): \(error)", cause: error)
        }
    }
}
