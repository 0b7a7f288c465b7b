/// Outcome of start/stop: `changed` answers 204, `unchanged` answers 304 (already running or stopped).
public enum StateChange: Sendable, Equatable {
    /// The state changed.
    case changed
    /// The container was already in the requested state.
    case unchanged
}
