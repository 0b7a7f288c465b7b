import Glibc

/// How the monitor keeps the container's output: Docker's json-file driver with `max-size` and `max-file`, or
/// nothing (`--log-driver none`).
public struct LogSettings: Codable, Sendable, Equatable {
    /// Write the json-file log; false for `--log-driver none`.
    public var enabled: Bool
    /// Rotate once the file has reached this many bytes (`max-size`); 0 never.
    public var maxSize: UInt64
    /// How many files are kept, the current one included (`max-file`, at least 1; 1 truncates instead).
    public var maxFiles: Int

    /// Creates log settings; the defaults are Docker's json-file defaults (one file, no limit).
    public init(enabled: Bool = true, maxSize: UInt64 = 0, maxFiles: Int = 1) {
        self.enabled = enabled
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }

    /// The log files of `path` that exist, oldest first: the rotated `path.N` … `path.1`, then `path`.
    public static func files(of path: String) -> [String] {
        var rotated: [String] = []
        var index = 1
        while access("\(path).\(index)", F_OK) == 0 {
            rotated.append("\(path).\(index)")
            index += 1
        }
        return rotated.reversed() + [path]
    }
}
