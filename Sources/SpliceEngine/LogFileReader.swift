#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceRuntime

/// Reads a json-file log incrementally: each `next()` returns the complete lines appended since the last call,
/// following the file across the monitor's rotations (`path` renamed to `path.1`, or truncated with one file).
struct LogFileReader {
    let path: String
    private var offset: off_t = 0
    private var partial: [UInt8] = []
    /// Device and inode of the file read so far, to notice a rotation.
    private var identity: (dev_t, ino_t)?

    init(path: String) { self.path = path }

    /// A reader that starts at the current end of the file (nothing written so far is returned).
    static func atEnd(of path: String) -> LogFileReader {
        var reader = LogFileReader(path: path)
        var info = stat()
        if stat(path, &info) == 0 {
            reader.offset = info.st_size
            reader.identity = (info.st_dev, info.st_ino)
        }
        return reader
    }

    /// Every record in the log at `path` and its rotated files, oldest first (empty when there is none).
    static func readAll(_ path: String) -> [LogEntry] {
        var reader = LogFileReader(path: path)
        return readRotated(path) + reader.next()
    }

    /// The records of the rotated files of `path` (`path.N` … `path.1`), oldest first.
    static func readRotated(_ path: String) -> [LogEntry] {
        LogSettings.files(of: path).dropLast().flatMap { file in
            var reader = LogFileReader(path: file)
            return reader.next()
        }
    }

    /// The records appended since the last call.
    mutating func next() -> [LogEntry] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var entries: [LogEntry] = []
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            if let (device, inode) = identity, device != info.st_dev || inode != info.st_ino {
                // Rotated: finish the old file, now `path.1`, then start the new one from its beginning.
                let old = open(path + ".1", O_RDONLY | O_CLOEXEC)
                if old >= 0 {
                    var oldInfo = stat()
                    if fstat(old, &oldInfo) == 0 && oldInfo.st_dev == device && oldInfo.st_ino == inode {
                        entries += read(old)
                    }
                    close(old)
                }
                offset = 0
                partial = []
            } else if info.st_size < offset {
                offset = 0  // truncated (one file kept)
                partial = []
            }
            identity = (info.st_dev, info.st_ino)
        }
        return entries + read(descriptor)
    }

    /// The complete records from `offset` to the end of `descriptor`.
    private mutating func read(_ descriptor: Int32) -> [LogEntry] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var entries: [LogEntry] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += off_t(count)
            partial += buffer[0..<count]
            while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(partial[..<newline])
                partial.removeSubrange(...newline)
                if let entry = try? JSONDecoder().decode(LogEntry.self, from: Data(line)) { entries.append(entry) }
            }
        }
        return entries
    }
}
