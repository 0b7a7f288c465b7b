/// A container's environment: `NAME=value` entries in order, with Docker's defaults filled in.
public struct ContainerEnvironment: Equatable, Sendable {
    /// The `PATH` Docker gives a container whose image sets none.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The entries, `NAME=value`; later entries of the same name replaced earlier ones.
    public private(set) var entries: [String]

    /// Validates `entries` (each needs a non-empty name before `=`; a bare `NAME` is dropped, as Docker drops
    /// unset variables) and adds `PATH`, `HOSTNAME` and `HOME` when missing.
    public init(_ entries: [String], hostname: String, user: ContainerUser) throws(RuntimeError) {
        var order: [String] = []
        var values: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else {
                if entry.isEmpty { throw .invalidSpec("empty environment entry") }
                continue
            }
            let name = String(entry[..<equals])
            guard !name.isEmpty, !name.contains("\0") else { throw .invalidSpec("environment entry \"\(entry)\"") }
            if values[name] == nil { order.append(name) }
            values[name] = String(entry[entry.index(after: equals)...])
        }
        for (name, value) in [("PATH", Self.defaultPath), ("HOSTNAME", hostname), ("HOME", user.uid == 0 ? "/root" : "/")]
        where values[name] == nil && !(name == "HOSTNAME" && hostname.isEmpty) {
            order.append(name)
            values[name] = value
        }
        self.entries = order.map { "\($0)=\(values[$0] ?? "")" }
    }

    /// The value of `name`, if set.
    public func value(of name: String) -> String? {
        let prefix = name + "="
        return entries.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// The paths `execve` tries for `command`: the command itself when it has a slash, else each `PATH` directory.
    public func executableCandidates(for command: String) -> [String] {
        if command.contains("/") { return [command] }
        let path = value(of: "PATH") ?? Self.defaultPath
        return path.split(separator: ":", omittingEmptySubsequences: false).map { directory in
            directory.isEmpty ? command : (directory.hasSuffix("/") ? "\(directory)\(command)" : "\(directory)/\(command)")
        }
    }
}
