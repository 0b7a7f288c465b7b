import Glibc
import Synchronization
import SystemKit

/// Reads and writes cgroup control files; optionally keeps a journal of every write (for tests).
final class CgroupFiles: Sendable {
    /// The writes made so far, in order, as (path, content), when recording.
    private let journal: Mutex<[(path: String, content: String)]>?

    /// Creates a file accessor; `recording` keeps a journal of writes.
    init(recording: Bool = false) {
        journal = recording ? Mutex([]) : nil
    }

    /// The writes made so far, or an empty list when not recording.
    var writes: [(path: String, content: String)] { journal?.withLock { $0 } ?? [] }

    /// Whether `path` exists.
    func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Writes `content` to an existing control file (never creates one). Wraps `open(2)` and `write(2)`.
    func write(_ content: String, to path: String) throws(CgroupError) {
        do throws(SystemError) {
            let fd = try FileDescriptor.open(path, O_WRONLY | O_TRUNC)
            do throws(SystemError) {
                try fd.write(Array(content.utf8))
            } catch {
                throw SystemError(error.operation, errno: error.errno, path: path)
            }
        } catch {
            throw .system(error)
        }
        journal?.withLock { $0.append((path, content)) }
    }

    /// Reads a control file as text.
    func read(_ path: String) throws(CgroupError) -> String {
        do throws(SystemError) {
            let fd = try FileDescriptor.open(path)
            do throws(SystemError) {
                return String(decoding: try fd.readAll(), as: UTF8.self)
            } catch {
                throw SystemError(error.operation, errno: error.errno, path: path)
            }
        } catch {
            throw .system(error)
        }
    }

    /// Reads a control file and trims surrounding whitespace.
    func readTrimmed(_ path: String) throws(CgroupError) -> String {
        Self.trimmed(try read(path))
    }

    /// Reads the `key value` line `key` of a flat-keyed file (memory.events, cgroup.events, memory.oom_control).
    func keyedValue(_ key: String, in path: String) throws(CgroupError) -> String? {
        for line in try read(path).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 && fields[0] == key { return String(fields[1]) }
        }
        return nil
    }

    /// Creates a directory; an existing one is fine. Wraps `mkdir(2)`.
    func makeDirectory(_ path: String) throws(CgroupError) {
        if mkdir(path, 0o755) == 0 { return }
        let errno = Errno.current
        if errno == .exists { return }
        throw .system(SystemError("mkdir", errno: errno, path: path))
    }

    /// Removes a cgroup directory, retrying EBUSY for up to `attempts` × 10 ms; a missing one is success.
    /// Wraps `rmdir(2)`.
    func removeDirectory(_ path: String, attempts: Int = 100) throws(CgroupError) {
        var remaining = attempts
        while true {
            if rmdir(path) == 0 { return }
            let errno = Errno.current
            if errno == .noSuchFileOrDirectory || errno.meansAlreadyGone { return }
            if errno == .interrupted { continue }
            if errno == .busy && remaining > 0 {
                remaining -= 1
                usleep(10_000)
                continue
            }
            throw .system(SystemError("rmdir", errno: errno, path: path))
        }
    }

    /// `text` without leading and trailing whitespace and newlines.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
