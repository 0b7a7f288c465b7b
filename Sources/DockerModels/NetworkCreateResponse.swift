/// `POST /networks/create` answer: `{"Id","Warning":""}`.
public struct NetworkCreateResponse: Codable, Sendable, Equatable {
    /// The new network's id.
    public var Id: String
    /// Always empty.
    public var Warning: String

    /// Creates an answer.
    public init(Id: String, Warning: String = "") {
        self.Id = Id
        self.Warning = Warning
    }
}
