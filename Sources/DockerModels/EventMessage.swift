/// One `GET /events` line (contract 7.5); `status`, `id` and `from` are the legacy duplicates.
public struct EventMessage: Codable, Sendable, Equatable {
    /// `Actor` block.
    public struct Actor: Codable, Sendable, Equatable {
        /// Object ID.
        public var ID: String
        /// Attributes such as `image`, `name`, `signal`, `exitCode`.
        public var Attributes: [String: String]
        /// Creates an actor.
        public init(ID: String, Attributes: [String: String] = [:]) {
            self.ID = ID
            self.Attributes = Attributes
        }
    }

    /// Legacy action.
    public var status: String?
    /// Legacy object ID.
    public var id: String?
    /// Legacy image.
    public var from: String?
    /// `container`, `image`, `network`, ...
    public var `Type`: String
    /// Action, for example `start`.
    public var Action: String
    /// Actor.
    public var Actor: Actor
    /// Always `local`.
    public var scope: String = "local"
    /// Unix seconds.
    public var time: Int64
    /// Unix nanoseconds.
    public var timeNano: Int64

    /// Creates an event; the legacy fields are filled for container events as dockerd does.
    public init(type: String, action: String, actor: Actor, timeNano: Int64) {
        self.Type = type
        self.Action = action
        self.Actor = actor
        self.timeNano = timeNano
        self.time = timeNano / 1_000_000_000
        if type == "container" {
            status = action
            id = actor.ID
            from = actor.Attributes["image"]
        }
    }
}
