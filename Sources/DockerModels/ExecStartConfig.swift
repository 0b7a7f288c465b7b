/// `POST /exec/{id}/start` body: `{"Detach": false, "Tty": false}`.
public struct ExecStartConfig: Codable, Sendable, Equatable {
    /// Run detached: a plain 200 instead of a hijack.
    public var Detach: Bool?
    /// Whether the exec has a TTY.
    public var Tty: Bool?
    /// Creates a start config.
    public init(Detach: Bool? = nil, Tty: Bool? = nil) {
        self.Detach = Detach
        self.Tty = Tty
    }
}
