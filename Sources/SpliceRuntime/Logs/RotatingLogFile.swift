import Glibc
import SystemKit

/// The json-file log as the monitor writes it: appends records and, once the file has reached `maxSize`, rotates
/// it as Docker's json-file driver does (`path` → `path.1` → … → `path.<maxFiles-1>`, the oldest dropped; with one
/// file, truncates it). Used by the single-threaded monitor only.
final class RotatingLogFile {
    let path: String
    let settings: LogSettings
    private var file: FileDescriptor
    private var size: UInt64

    /// Opens (creates) `path` for appending.
    init(path: String, settings: LogSettings) throws(SystemError) {
        self.path = path
        self.settings = settings
        file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode: 0o640)
        var info = stat()
        size = fstat(file.rawValue, &info) == 0 ? UInt64(info.st_size) : 0
    }

    /// Appends one encoded record, rotating first when the file is full.
    func write(_ bytes: [UInt8]) throws(SystemError) {
        if settings.maxSize > 0 && size >= settings.maxSize { try rotate() }
        try file.write(bytes)
        size += UInt64(bytes.count)
    }

    private func rotate() throws(SystemError) {
        if settings.maxFiles <= 1 {
            if ftruncate(file.rawValue, 0) != 0 { throw SystemError.current("ftruncate", path: path) }
        } else {
            for index in stride(from: settings.maxFiles - 1, to: 1, by: -1) {
                if rename("\(path).\(index - 1)", "\(path).\(index)") != 0 && Errno.current != .noSuchFileOrDirectory {
                    throw SystemError.current("rename", path: "\(path).\(index - 1)")
                }
            }
            if rename(path, path + ".1") != 0 { throw SystemError.current("rename", path: path) }
            file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, mode: 0o640)
        }
        size = 0
    }
}
