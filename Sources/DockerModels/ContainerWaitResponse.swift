/// `POST /containers/{id}/wait` body: `{"Error":null,"StatusCode":0}` (the `null` is kept on the wire).
public struct ContainerWaitResponse: Codable, Sendable, Equatable {
    /// `{"Message": ...}` inside `Error`.
    public struct WaitError: Codable, Sendable, Equatable {
        /// The error text.
        public var Message: String
        /// Creates a wait error.
        public init(Message: String) { self.Message = Message }
    }

    /// Error, encoded as `null` when absent.
    public var Error: WaitError?
    /// Exit code of the container.
    public var StatusCode: Int

    private enum CodingKeys: String, CodingKey { case Error, StatusCode }

    /// Creates a wait response.
    public init(StatusCode: Int, Error: WaitError? = nil) {
        self.StatusCode = StatusCode
        self.Error = Error
    }

    /// Encodes `Error` as `null` when absent, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let error = Error {
            try container.encode(error, forKey: .Error)
        } else {
            try container.encodeNil(forKey: .Error)
        }
        try container.encode(StatusCode, forKey: .StatusCode)
    }
}
