import CLinuxShims
import Glibc

/// Writes diagnostics to the monitor's own standard error (its `init.log`).
enum FileHandleWriter {
    /// Writes `text` to fd 2.
    static func standardError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { cls_write_all(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
