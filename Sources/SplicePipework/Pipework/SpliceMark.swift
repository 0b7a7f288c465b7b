/// The mark Splice leaves on interfaces it creates for pipework, in the interface alias, so that `--list`
/// and `--detach` find them in the kernel without any state file.
public struct SpliceMark: Sendable, Equatable {
    /// How the guest interface was made.
    public enum Mode: String, Sendable {
        case veth, macvlan, phys
    }

    public var mode: Mode
    /// The guest as the user named it.
    public var guest: String
    /// The interface name inside the guest.
    public var guestInterface: String
    /// The host interface: the bridge, the macvlan parent, or the physical device's original name.
    public var host: String
    /// The pid of the `pipework` still making the interface: an intent mark, replaced by the plain mark once the
    /// attach is complete. One whose process is gone was cut (a `kill -9`) and is removed by the next run.
    public var pending: Int32?
    /// With `pending`: the guest's default route the attach replaced, `GATEWAY%DEVICE`, put back by the cleanup.
    public var previousRoute: String?

    public init(mode: Mode, guest: String, guestInterface: String, host: String, pending: Int32? = nil) {
        self.mode = mode
        self.guest = guest
        self.guestInterface = guestInterface
        self.host = host
        self.pending = pending
    }

    static let prefix = "splice:pipework"

    /// The alias text, e.g. `splice:pipework mode=veth guest=web if=eth1 host=br1`.
    public var alias: String {
        let guestWord = guest.map { $0 == " " ? "_" : $0 }
        let intent = (pending.map { " pending=\($0)" } ?? "") + (previousRoute.map { " route=\($0)" } ?? "")
        return "\(Self.prefix) mode=\(mode.rawValue) guest=\(String(guestWord)) if=\(guestInterface) host=\(host)"
            + intent
    }

    /// Parses an alias; nil when it is not a Splice pipework mark.
    public init?(alias: String?) {
        guard let alias, alias.hasPrefix(Self.prefix + " ") else { return nil }
        var fields: [Substring: Substring] = [:]
        for word in alias.dropFirst(Self.prefix.count + 1).split(separator: " ") {
            guard let equals = word.firstIndex(of: "=") else { continue }
            fields[word[..<equals]] = word[word.index(after: equals)...]
        }
        guard let modeText = fields["mode"], let mode = Mode(rawValue: String(modeText)),
              let guest = fields["guest"], let guestInterface = fields["if"], let host = fields["host"]
        else { return nil }
        self.init(mode: mode, guest: String(guest), guestInterface: String(guestInterface), host: String(host),
                  pending: fields["pending"].flatMap { Int32($0) })
        previousRoute = fields["route"].map(String.init)
    }
}
