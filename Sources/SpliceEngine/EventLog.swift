import Synchronization
import struct EngineErrors.EngineError
import struct DockerModels.EventMessage

/// The daemon's recent events in memory (the last `capacity`), and the live subscriptions of `GET /events`.
public final class EventLog: Sendable {
    /// How many events are kept for replay.
    public let capacity: Int

    private struct Subscriber {
        let filter: EventFilter
        let until: Int64?
        let continuation: AsyncThrowingStream<EventMessage, any Error>.Continuation
    }

    private struct State {
        var events: [EventMessage] = []
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Creates an empty log.
    public init(capacity: Int = 1000) { self.capacity = capacity }

    /// Records `event` and hands it to every live subscriber whose filter accepts it.
    public func record(_ event: EventMessage) {
        let targets = state.withLock { state -> [Subscriber] in
            state.events.append(event)
            if state.events.count > capacity { state.events.removeFirst(state.events.count - capacity) }
            return state.subscribers.values.filter { $0.filter.matches(event) }
        }
        for subscriber in targets {
            if let until = subscriber.until, event.timeNano > until {
                subscriber.continuation.finish()
            } else {
                subscriber.continuation.yield(event)
            }
        }
    }

    /// The stored events within `since`...`until` (Unix nanoseconds) that pass `filter`, oldest first.
    public func replay(since: Int64?, until: Int64?, filter: EventFilter) -> [EventMessage] {
        state.withLock { $0.events }.filter { event in
            (since.map { event.timeNano >= $0 } ?? true) && (until.map { event.timeNano <= $0 } ?? true)
                && filter.matches(event)
        }
    }

    /// `GET /events`: the stored events from `since` (when given), then live ones; ends at `until` (at once when
    /// it has passed). `since`/`until` are API times (`1700000000.5`, RFC 3339).
    public func subscribe(since: String?, until: String?, filter: EventFilter) throws(EngineError)
        -> AsyncThrowingStream<EventMessage, any Error>
    {
        let sinceNanos = try since.map { text throws(EngineError) in try Self.parse(text, "since") }
        let untilNanos = try until.map { text throws(EngineError) in try Self.parse(text, "until") }
        let (stream, continuation) = AsyncThrowingStream<EventMessage, any Error>.makeStream()
        let now = APITime.now()
        let id = state.withLock { state -> Int in
            let id = state.nextID
            state.nextID += 1
            if sinceNanos != nil || untilNanos != nil {
                for event in state.events where (sinceNanos.map { event.timeNano >= $0 } ?? true)
                    && (untilNanos.map { event.timeNano <= $0 } ?? true) && filter.matches(event) {
                    continuation.yield(event)
                }
            }
            if let untilNanos, untilNanos <= now {
                continuation.finish()
            } else {
                state.subscribers[id] = Subscriber(filter: filter, until: untilNanos, continuation: continuation)
            }
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        if let untilNanos, untilNanos > now {
            // Ends the stream at `until` even when no event arrives after it.
            Task {
                try? await Task.sleep(for: .nanoseconds(untilNanos - now))
                continuation.finish()
            }
        }
        return stream
    }

    /// Parses an API time or throws Docker's 400.
    static func parse(_ text: String, _ name: String) throws(EngineError) -> Int64 {
        guard let value = APITime.nanoseconds(text) else {
            throw EngineError(.invalidArgument, "invalid value for \(name): \(text)")
        }
        return value
    }
}
