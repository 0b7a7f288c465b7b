import Glibc
import SystemKit
import struct EngineErrors.EngineError

/// A container image's `/etc/passwd` and `/etc/group`, and Docker's `--user`/`--group-add` resolution against
/// them (runc's `GetExecUser` rules).
public struct UserDatabase: Sendable, Equatable {
    /// One `/etc/passwd` entry.
    public struct User: Sendable, Equatable {
        /// Login name.
        public var name: String
        /// User id.
        public var uid: UInt32
        /// Primary group id.
        public var gid: UInt32
        /// Home directory.
        public var home: String
    }

    /// One `/etc/group` entry.
    public struct Group: Sendable, Equatable {
        /// Group name.
        public var name: String
        /// Group id.
        public var gid: UInt32
        /// Member login names.
        public var members: [String]
    }

    /// What a `--user` resolves to.
    public struct Identity: Sendable, Equatable {
        /// User id.
        public var uid: UInt32
        /// Primary group id.
        public var gid: UInt32
        /// Supplementary group ids (groups listing the user, then `--group-add`).
        public var additionalGroups: [UInt32]
        /// The home directory from the passwd entry, nil when the user has none.
        public var home: String?
    }

    /// The passwd entries.
    public var users: [User]
    /// The group entries.
    public var groups: [Group]

    /// Parses the two files' contents (missing files are empty); malformed lines are skipped, as runc does.
    public init(passwd: String, group: String) {
        users = passwd.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard !line.hasPrefix("#"), fields.count >= 4, let uid = UInt32(fields[2]), let gid = UInt32(fields[3])
            else { return nil }
            return User(name: fields[0], uid: uid, gid: gid, home: fields.count >= 6 ? fields[5] : "")
        }
        groups = group.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard !line.hasPrefix("#"), fields.count >= 3, let gid = UInt32(fields[2]) else { return nil }
            let members = fields.count >= 4 ? fields[3].split(separator: ",").map(String.init) : []
            return Group(name: fields[0], gid: gid, members: members)
        }
    }

    /// Reads `/etc/passwd` and `/etc/group` from the first of `layers` (the container's upper directory, then the
    /// image's layers top-most first) that has each file.
    public static func read(layers: [String]) -> UserDatabase {
        UserDatabase(passwd: firstFile("/etc/passwd", in: layers), group: firstFile("/etc/group", in: layers))
    }

    /// Resolves `spec` (`user`, `user:group`, `uid:gid`, empty for root) plus `groupAdd`, with Docker's errors
    /// (`unable to find user nobody: no matching entries in passwd file`).
    public func resolve(_ spec: String, groupAdd: [String] = []) throws(EngineError) -> Identity {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? "0"
        let groupPart = parts.count == 2 ? parts[1] : ""
        var identity = Identity(uid: 0, gid: 0, additionalGroups: [], home: nil)
        let numericUID = UInt32(userPart)
        let matched = users.first { user in numericUID.map { user.uid == $0 } ?? (user.name == userPart) }
        if let matched {
            identity.uid = matched.uid
            identity.gid = matched.gid
            identity.home = matched.home.isEmpty ? nil : matched.home
        } else if let numericUID {
            identity.uid = numericUID
        } else {
            throw EngineError(.invalidArgument, "unable to find user \(userPart): no matching entries in passwd file")
        }
        if !groupPart.isEmpty {
            identity.gid = try groupID(groupPart)
        } else if let matched {
            identity.additionalGroups = groups.filter { $0.members.contains(matched.name) }.map(\.gid)
        }
        for extra in groupAdd {
            let gid = try groupID(extra)
            if !identity.additionalGroups.contains(gid) { identity.additionalGroups.append(gid) }
        }
        return identity
    }

    /// A group name or number to its id.
    func groupID(_ text: String) throws(EngineError) -> UInt32 {
        let numeric = UInt32(text)
        if let group = groups.first(where: { group in numeric.map { group.gid == $0 } ?? (group.name == text) }) {
            return group.gid
        }
        if let numeric { return numeric }
        throw EngineError(.invalidArgument, "unable to find group \(text): no matching entries in group file")
    }

    /// The content of `path` in the first layer that has it; empty when none does (or one whites it out).
    static func firstFile(_ path: String, in layers: [String]) -> String {
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let whiteout = String(path[...slash]) + ".wh." + String(path[path.index(after: slash)...])
        for layer in layers {
            if access(layer + whiteout, F_OK) == 0 { return "" }
            guard let bytes = try? FileDescriptor.open(layer + path, O_RDONLY | O_CLOEXEC).readAll() else { continue }
            return String(decoding: bytes, as: UTF8.self)
        }
        return ""
    }
}
