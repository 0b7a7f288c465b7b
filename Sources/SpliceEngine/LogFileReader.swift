#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Reads a json-file log incrementally: each `next()` returns the complete lines appended since the last call.
struct LogFileReader {
    let path: String
    private var offset: off_t = 0
    private var partial: [UInt8] = []

    init(path: String) { self.path = path }

    /// A reader that starts at the current end of the file (nothing written so far is returned).
    static func atEnd(of path: String) -> LogFileReader {
        var reader = LogFileReader(path: path)
        var info = stat()
        if stat(path, &info) == 0 { reader.offset = info.st_size }
        return reader
    }

    /// Every record in the file at `path` (empty when it does not exist).
    static func readAll(_ path: String) -> [LogEntry] {
        var reader = LogFileReader(path: path)
        return reader.next()
    }

    /// The records appended since the last call.
    mutating func next() -> [LogEntry] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
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
