/// The changes one watch answer carried, all at or below `revision`.
public struct EtcdWatchBatch: Sendable, Equatable {
    public var events: [EtcdEvent]
    /// The store's revision when the answer was sent.
    public var revision: Int64

    public init(events: [EtcdEvent], revision: Int64) {
        self.events = events
        self.revision = revision
    }
}
