import Synchronization

/// A one-way flag a dedicated thread polls to learn that it should stop (the container stopped, the client left).
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Creates a lowered flag.
    public init() {}

    /// Raises the flag.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether the flag was raised.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
