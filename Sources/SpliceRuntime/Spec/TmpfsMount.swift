import CLinuxShims
import Glibc

/// A tmpfs in the container (`--tmpfs /run:size=64m`, `--mount type=tmpfs`).
public struct TmpfsMount: Codable, Sendable, Equatable {
    /// The absolute path inside the container.
    public var target: String
    /// Docker's option text: mount flags (`ro`, `noexec`, `nosuid` …) and tmpfs options (`size=64m`, `mode=1777`),
    /// comma-separated; Docker's defaults `noexec,nosuid,nodev` apply unless overridden.
    public var options: String

    /// The mount flags words and what they set (`true`) or clear (`false`).
    static let flagWords: [String: (flag: Int, set: Bool)] = [
        "ro": (MS_RDONLY, true), "rw": (MS_RDONLY, false), "nosuid": (MS_NOSUID, true), "suid": (MS_NOSUID, false),
        "nodev": (MS_NODEV, true), "dev": (MS_NODEV, false), "noexec": (MS_NOEXEC, true), "exec": (MS_NOEXEC, false),
        "sync": (MS_SYNCHRONOUS, true), "async": (MS_SYNCHRONOUS, false), "dirsync": (MS_DIRSYNC, true),
        "noatime": (MS_NOATIME, true), "atime": (MS_NOATIME, false), "nodiratime": (MS_NODIRATIME, true),
        "diratime": (MS_NODIRATIME, false), "relatime": (MS_RELATIME, true), "norelatime": (MS_RELATIME, false),
        "strictatime": (MS_STRICTATIME, true), "nostrictatime": (MS_STRICTATIME, false),
        "mand": (MS_MANDLOCK, true), "nomand": (MS_MANDLOCK, false),
    ]
    /// The tmpfs options passed on as mount data.
    static let dataKeys: Set<String> = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol", "huge"]

    /// Creates a tmpfs mount.
    public init(target: String, options: String = "") {
        self.target = target
        self.options = options
    }

    /// The `mount(2)` flags and data, with Docker's defaults; throws dockerd's error for an unknown option.
    public func mountArguments() throws(RuntimeError) -> (flags: Int, data: String) {
        var flags = MS_NOEXEC | MS_NOSUID | MS_NODEV
        var data: [String] = []
        for word in options.split(separator: ",").map(String.init) {
            if let entry = Self.flagWords[word] {
                flags = entry.set ? flags | entry.flag : flags & ~entry.flag
            } else if let key = word.split(separator: "=", maxSplits: 1).first, word.contains("="),
                      Self.dataKeys.contains(String(key)) {
                data.append(word)
            } else {
                throw .invalidSpec("invalid tmpfs option [\"\(word)\"]")
            }
        }
        return (flags, data.joined(separator: ","))
    }
}
