/// The numeric identity a container's process runs as, parsed from Docker's `--user` syntax.
public struct ContainerUser: Equatable, Sendable {
    /// The user id.
    public var uid: UInt32
    /// The primary group id.
    public var gid: UInt32

    /// Creates a user.
    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    /// Parses `uid[:gid]` (numbers), `root` or an empty string (root). Names other than `root` need the image's
    /// `/etc/passwd`, which this runtime does not read yet. Without a gid the group is the uid's number, as
    /// Docker does for unknown users.
    public static func parse(_ text: String) throws(RuntimeError) -> ContainerUser {
        if text.isEmpty || text == "root" { return ContainerUser(uid: 0, gid: 0) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .invalidSpec("user \"\(text)\" is not uid[:gid]") }
        let uid: UInt32
        if parts[0] == "root" {
            uid = 0
        } else if let number = UInt32(parts[0]) {
            uid = number
        } else {
            throw .unsupported("user names other than root (\"\(parts[0])\"); give a numeric uid")
        }
        guard parts.count == 2 else { return ContainerUser(uid: uid, gid: uid) }
        if parts[1] == "root" { return ContainerUser(uid: uid, gid: 0) }
        guard let gid = UInt32(parts[1]) else {
            throw .unsupported("group names other than root (\"\(parts[1])\"); give a numeric gid")
        }
        return ContainerUser(uid: uid, gid: gid)
    }
}
