/// One path that a container's own layer adds, changes or deletes relative to its image (`docker diff`).
public struct LayerChange: Hashable, Sendable {
    /// Docker's change kinds, with their API numbers.
    public enum Kind: Int, Sendable {
        /// `C`: the path exists below and was modified.
        case changed = 0
        /// `A`: the path is new.
        case added = 1
        /// `D`: the path was deleted.
        case deleted = 2

        /// The letter `docker diff` prints.
        public var letter: String {
            switch self {
            case .changed: "C"
            case .added: "A"
            case .deleted: "D"
            }
        }
    }

    /// The absolute path in the container (`/tmp/x`).
    public var path: String
    /// What happened to it.
    public var kind: Kind

    /// Creates a change.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
