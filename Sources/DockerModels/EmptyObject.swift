/// The JSON value `{}`, used in Docker's set-like maps (`Volumes`, `ExposedPorts`).
public struct EmptyObject: Codable, Sendable, Equatable, Hashable {
    /// Creates `{}`.
    public init() {}
    /// Decodes any JSON object and ignores its content.
    public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: AnyKey.self) }
    /// Encodes `{}`.
    public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: AnyKey.self) }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
