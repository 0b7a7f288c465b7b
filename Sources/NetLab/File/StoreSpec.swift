/// The cluster store the lab would start (parsed; `up` refuses it until the overlay work lands).
public struct StoreSpec: Sendable {
    /// The store kind (`etcd`).
    public var kind: String
    /// The number of members.
    public var members: Int
    /// Line in the file.
    public var line: Int
}
