/// `POST /containers/{id}/update` answer: `{"Warnings":null}` (`update-swap.txt`).
public struct ContainerUpdateResponse: Codable, Sendable, Equatable {
    /// Warnings about what could not be applied as asked; absent when none.
    public var Warnings: [String]?
    /// Creates an answer.
    public init(Warnings: [String]? = nil) { self.Warnings = Warnings }
}
