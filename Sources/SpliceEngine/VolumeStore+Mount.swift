import Glibc
import SystemKit
import struct EngineErrors.EngineError

extension VolumeStore {
    /// The `o` words that are mount flags rather than filesystem data, as dockerd's `mount.ParseOptions` reads
    /// them: each sets (true) or clears (false) its flag.
    static let mountFlags: [String: (flag: UInt, set: Bool)] = [
        "ro": (UInt(MS_RDONLY), true), "rw": (UInt(MS_RDONLY), false),
        "nosuid": (UInt(MS_NOSUID), true), "suid": (UInt(MS_NOSUID), false),
        "nodev": (UInt(MS_NODEV), true), "dev": (UInt(MS_NODEV), false),
        "noexec": (UInt(MS_NOEXEC), true), "exec": (UInt(MS_NOEXEC), false),
        "sync": (UInt(MS_SYNCHRONOUS), true), "async": (UInt(MS_SYNCHRONOUS), false),
        "noatime": (UInt(MS_NOATIME), true), "atime": (UInt(MS_NOATIME), false),
        "nodiratime": (UInt(MS_NODIRATIME), true), "diratime": (UInt(MS_NODIRATIME), false),
        "relatime": (UInt(MS_RELATIME), true), "norelatime": (UInt(MS_RELATIME), false),
        "strictatime": (UInt(MS_STRICTATIME), true), "dirsync": (UInt(MS_DIRSYNC), true),
        "remount": (UInt(MS_REMOUNT), true), "mand": (UInt(MS_MANDLOCK), true), "nomand": (UInt(MS_MANDLOCK), false),
        "bind": (UInt(MS_BIND), true), "rbind": (UInt(MS_BIND | MS_REC), true),
        "defaults": (0, true),
    ]

    /// Splits the `o` option into mount flags and the data passed to the filesystem.
    static func parseMountOptions(_ text: String) -> (flags: UInt, data: String) {
        var flags: UInt = 0
        var data: [Substring] = []
        for word in text.split(separator: ",") {
            if let (flag, set) = mountFlags[String(word)] {
                flags = set ? flags | flag : flags & ~flag
            } else {
                data.append(word)
            }
        }
        return (flags, data.joined(separator: ","))
    }

    /// Whether a filesystem is mounted exactly at `path` (its device differs from its parent's, or it is a bind
    /// of a directory on the same device: /proc/self/mountinfo decides).
    static func isMountPoint(_ path: String) -> Bool {
        guard let entries = try? MountInfoEntry.current() else { return false }
        return entries.contains { $0.mountPoint == path }
    }

    /// Mounts volume `name`'s device on its `_data` directory if its options ask for one and it is not mounted
    /// yet (the local driver mounts at first use). Wraps `mount(2)`.
    public func mountIfNeeded(_ name: String) throws(EngineError) {
        let metadata = metadata(of: name)
        guard metadata.mountsDevice, let options = metadata.options, let type = options["type"],
              let device = options["device"] else { return }
        let target = dataPath(of: name)
        if Self.isMountPoint(target) { return }
        let (flags, data) = Self.parseMountOptions(options["o"] ?? "")
        let result = data.isEmpty ? mount(device, target, type, flags, nil)
            : data.withCString { mount(device, target, type, flags, $0) }
        if result != 0 {
            let failure = SystemError.current("mount", path: target)
            throw EngineError(.internal, "error while mounting volume '\(target)': failed to mount local volume: "
                + "mount \(device):\(target), flags: 0x\(String(flags, radix: 16)), data: \(data): "
                + failure.errno.message.lowercased(),
                cause: failure)
        }
    }

    /// Unmounts volume `name`'s device if it is mounted. Wraps `umount2(2)`.
    func unmount(_ name: String) throws(EngineError) {
        let target = dataPath(of: name)
        guard Self.isMountPoint(target) else { return }
        if umount2(target, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
            let failure = SystemError.current("umount2", path: target)
            throw EngineError(.internal, "remove \(name): cannot unmount the volume's device", cause: failure)
        }
    }
}
