import Glibc
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

/// The daemon's `--userns-remap`: the user and group whose subordinate ids (`/etc/subuid`, `/etc/subgid`) become a
/// container's ids, container root being the first of them, as dockerd does.
public struct UserNamespaceRemap: Sendable, Equatable {
    /// The user `default` stands for. dockerd's own name, on purpose: a host that runs both daemons, or moves from
    /// dockerd to Splice, keeps one subordinate range and the ownership of what it already remapped.
    public static let defaultUser = "dockremap"
    /// The size of the range added for `dockremap` when it has none, as dockerd adds.
    public static let defaultRangeSize: UInt32 = 65536
    /// Where a range is searched from when one is added (dockerd's and shadow's first subordinate id).
    public static let firstSubordinateID: UInt32 = 100_000

    /// The user's name.
    public var user: String
    /// The group's name.
    public var group: String
    /// The uid map, container ids from 0 in the order of `/etc/subuid`.
    public var uidMappings: [UserNamespaceSpec.Mapping]
    /// The gid map, container ids from 0 in the order of `/etc/subgid`.
    public var gidMappings: [UserNamespaceSpec.Mapping]
    /// Layers are shifted by idmapped mounts (probed at start, `probeIdmappedLayers`) rather than copied.
    public var idmappedLayers = false

    /// Creates a remap from its maps (each non-empty).
    public init(user: String, group: String, uidMappings: [UserNamespaceSpec.Mapping],
                gidMappings: [UserNamespaceSpec.Mapping]) {
        self.user = user
        self.group = group
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
    }

    /// The host uid of container root.
    public var rootUID: UInt32 { uidMappings.first?.hostID ?? 0 }
    /// The host gid of container root.
    public var rootGID: UInt32 { gidMappings.first?.hostID ?? 0 }
    /// `<uid>.<gid>`: the name of the directory under the graph that holds what belongs to this remap.
    public var directoryName: String { "\(rootUID).\(rootGID)" }
    /// The spec `splice-init` writes into `/proc/PID/uid_map` and `gid_map`.
    public var spec: UserNamespaceSpec {
        var spec = UserNamespaceSpec(uidMappings: uidMappings, gidMappings: gidMappings)
        spec.idmappedLayers = idmappedLayers ? true : nil
        return spec
    }

    /// Whether idmapped layers work for containers under `graph`: runs `splice-init probe-idmap` on a scratch
    /// directory there (an idmapped mount of it and an overlay over that). Blocking.
    public static func probeIdmappedLayers(initPath: String, graph: String) -> Bool {
        let directory = graph + "/idmap-probe-\(getpid())"
        guard let result = try? HostCommand.run(initPath, arguments: ["probe-idmap", directory]) else { return false }
        return result.status == 0
    }
    /// How `/info` names it (dockerd: `name=userns`).
    public static let securityOption = "name=userns"

    /// The host id of container uid `id`, nil when the map leaves it out.
    public func hostUID(_ id: UInt32) -> UInt32? { Self.map(id, uidMappings) }
    /// The host id of container gid `id`, nil when the map leaves it out.
    public func hostGID(_ id: UInt32) -> UInt32? { Self.map(id, gidMappings) }

    private static func map(_ id: UInt32, _ mappings: [UserNamespaceSpec.Mapping]) -> UInt32? {
        for mapping in mappings where id >= mapping.containerID && id - mapping.containerID < mapping.size {
            return mapping.hostID + (id - mapping.containerID)
        }
        return nil
    }

    /// The setting as `--userns-remap` takes it: `default`, `USER`, `USER:GROUP` (names or numeric ids).
    public static func parseSetting(_ text: String) throws(EngineError) -> (user: String, group: String?) {
        if text == "default" { return (defaultUser, defaultUser) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw EngineError(.invalidArgument, "Can't create ID mappings: invalid --userns-remap \"\(text)\": use"
                + " default, USER or USER:GROUP")
        }
        return (parts[0], parts.count == 2 ? parts[1] : nil)
    }

    /// Resolves `--userns-remap` against the host's `/etc` files. `default` creates `dockremap` with
    /// `useradd -r -s /bin/false` and gives it a 65536-id range (`usermod -v/-w`) when it has none, as dockerd
    /// does; any other user must exist and have ranges. Blocking.
    public static func resolve(_ setting: String, etc: String = "/etc") throws(EngineError) -> UserNamespaceRemap {
        let (userText, groupText) = try parseSetting(setting)
        var passwd = readLines(etc + "/passwd")
        if userText == defaultUser, entry(named: userText, in: passwd) == nil {
            try runTool("/usr/sbin/useradd", ["-r", "-s", "/bin/false", defaultUser], what: "create the user")
            passwd = readLines(etc + "/passwd")
        }
        guard let user = entry(named: userText, in: passwd) else {
            throw EngineError(.invalidArgument, "Can't create ID mappings: user \"\(userText)\" not found")
        }
        let groups = readLines(etc + "/group")
        let groupName: String
        if let groupText {
            guard let group = entry(named: groupText, in: groups) else {
                throw EngineError(.invalidArgument, "Can't create ID mappings: group \"\(groupText)\" not found")
            }
            groupName = group.name
        } else {
            groupName = entry(named: user.name, in: groups)?.name ?? user.name
        }
        if user.name == defaultUser {
            let subuid = ranges(for: user.name, id: user.id, in: readLines(etc + "/subuid"))
            let subgid = ranges(for: groupName, id: nil, in: readLines(etc + "/subgid"))
            if subuid.isEmpty || subgid.isEmpty {
                let start = freeRangeStart(etc: etc)
                let range = "\(start)-\(start + defaultRangeSize - 1)"
                var arguments: [String] = []
                if subuid.isEmpty { arguments += ["-v", range] }
                if subgid.isEmpty { arguments += ["-w", range] }
                try runTool("/usr/sbin/usermod", arguments + [defaultUser], what: "add subordinate ids to")
            }
        }
        let uids = ranges(for: user.name, id: user.id, in: readLines(etc + "/subuid"))
        let gidOfGroup = entry(named: groupName, in: groups)?.id
        let gids = ranges(for: groupName, id: gidOfGroup, in: readLines(etc + "/subgid"))
        guard !uids.isEmpty else {
            throw EngineError(.invalidArgument,
                              "Can't create ID mappings: no subuid ranges found for user \"\(user.name)\"")
        }
        guard !gids.isEmpty else {
            throw EngineError(.invalidArgument,
                              "Can't create ID mappings: no subgid ranges found for group \"\(groupName)\"")
        }
        return UserNamespaceRemap(user: user.name, group: groupName, uidMappings: mappings(uids),
                                  gidMappings: mappings(gids))
    }

    /// Container ids from 0, one mapping per host range, in file order.
    static func mappings(_ ranges: [(start: UInt32, size: UInt32)]) -> [UserNamespaceSpec.Mapping] {
        var next: UInt32 = 0
        return ranges.map { range in
            defer { next += range.size }
            return UserNamespaceSpec.Mapping(containerID: next, hostID: range.start, size: range.size)
        }
    }

    /// The `name:start:count` ranges of `name` (or of the numeric `id`) in a subuid/subgid file.
    static func ranges(for name: String, id: UInt32?, in lines: [String]) -> [(start: UInt32, size: UInt32)] {
        lines.compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == name || (id.map { String($0) } == String(fields[0])),
                  let start = UInt32(fields[1]), let size = UInt32(fields[2]), size > 0 else { return nil }
            return (start, size)
        }
    }

    /// The first id at or above 100000 after every range in `/etc/subuid` and `/etc/subgid`.
    static func freeRangeStart(etc: String) -> UInt32 {
        var start = firstSubordinateID
        for line in readLines(etc + "/subuid") + readLines(etc + "/subgid") {
            let fields = line.split(separator: ":")
            guard fields.count == 3, let first = UInt32(fields[1]), let size = UInt32(fields[2]) else { continue }
            start = max(start, first.addingReportingOverflow(size).partialValue)
        }
        return start
    }

    /// The name and id of a passwd or group entry named `text` (or whose id is `text`).
    static func entry(named text: String, in lines: [String]) -> (name: String, id: UInt32)? {
        for line in lines {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, let id = UInt32(fields[2]) else { continue }
            if fields[0] == text || String(id) == text { return (String(fields[0]), id) }
        }
        return nil
    }

    private static func readLines(_ path: String) -> [String] {
        guard let bytes = try? FileDescriptor.open(path, O_RDONLY | O_CLOEXEC).readAll() else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") }
    }

    private static func runTool(_ path: String, _ arguments: [String], what: String) throws(EngineError) {
        let result: HostCommand.Result
        do {
            result = try HostCommand.run(path, arguments: arguments)
        } catch {
            throw EngineError(.internal, "Can't create ID mappings: cannot \(what) \(defaultUser): \(error)",
                              cause: error)
        }
        guard result.status == 0 else {
            let message = String(decoding: result.stderr, as: UTF8.self).trimmingTrailingNewlines()
            throw EngineError(.internal, "Can't create ID mappings: \(path) \(arguments.joined(separator: " "))"
                + " exited with \(result.status): \(message)")
        }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
