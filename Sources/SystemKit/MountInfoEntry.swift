/// One line of `/proc/self/mountinfo` (proc(5)): where something is mounted, its file system type and its super
/// options. The one reader of that format for every module.
public struct MountInfoEntry: Sendable, Equatable {
    /// The mount point, with mountinfo's octal escapes (`\040` for a space) undone.
    public var mountPoint: String
    /// The file system type (`cgroup2`, `overlay`, `ext4`, …).
    public var fileSystemType: String
    /// The super block's options (`rw,nsdelegate`, or a v1 cgroup's controllers); empty when the line has none.
    public var superOptions: [String]

    /// Creates an entry.
    public init(mountPoint: String, fileSystemType: String, superOptions: [String]) {
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
        self.superOptions = superOptions
    }

    /// Parses one line; nil for a line without the six leading fields, the `-` separator and a type.
    public init?(line: Substring) {
        let fields = line.split(separator: " ")
        guard fields.count > 6, let separator = fields[6...].firstIndex(of: "-"), fields.count > separator + 1 else {
            return nil
        }
        mountPoint = Self.unescape(fields[4])
        fileSystemType = String(fields[separator + 1])
        superOptions = fields.count > separator + 3 ? fields[separator + 3].split(separator: ",").map(String.init) : []
    }

    /// Every well-formed line of `text`, in order.
    public static func parse(_ text: String) -> [MountInfoEntry] {
        text.split(separator: "\n").compactMap { MountInfoEntry(line: $0) }
    }

    /// The current mount table of this process's mount namespace.
    public static func current(path: String = "/proc/self/mountinfo") throws(SystemError) -> [MountInfoEntry] {
        let descriptor = try FileDescriptor.open(path)
        return parse(String(decoding: try descriptor.readAll(), as: UTF8.self))
    }

    /// Undoes mountinfo's octal escapes (`\040` for a space, `\134` for a backslash).
    public static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var out: [UInt8] = []
        var bytes = Array(field.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "\\"), bytes.count >= 3,
               let value = UInt8(String(decoding: bytes.prefix(3), as: UTF8.self), radix: 8) {
                out.append(value)
                bytes = bytes.dropFirst(3)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
