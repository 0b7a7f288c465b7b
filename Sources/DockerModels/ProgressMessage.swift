/// One JSON-lines progress message of pull, push, import and load (contract 7.4).
public struct ProgressMessage: Codable, Sendable, Equatable {
    /// `{"current": N, "total": M}` or `{}`.
    public struct Detail: Codable, Sendable, Equatable {
        /// Bytes done.
        public var current: Int64?
        /// Bytes in total.
        public var total: Int64?
        /// Creates a detail.
        public init(current: Int64? = nil, total: Int64? = nil) {
            self.current = current
            self.total = total
        }
    }

    /// `{"message": ...}` of an in-band error.
    public struct ErrorDetail: Codable, Sendable, Equatable {
        /// A status the client exits with (a failed build step's exit code), nil for none.
        public var code: Int?
        /// Error text.
        public var message: String
        /// Creates an error detail.
        public init(message: String, code: Int? = nil) {
            self.message = message
            self.code = code
        }
    }

    /// Status line.
    public var status: String?
    /// Progress details.
    public var progressDetail: Detail?
    /// Preformatted progress bar.
    public var progress: String?
    /// Layer short ID or tag.
    public var id: String?
    /// Text printed verbatim (load).
    public var stream: String?
    /// Push result `{Tag, Digest, Size}`, or a build's `{ID}`.
    public var aux: [String: String]?
    /// In-band error detail.
    public var errorDetail: ErrorDetail?
    /// In-band error text.
    public var error: String?

    /// Creates a message.
    public init(status: String? = nil, id: String? = nil, stream: String? = nil) {
        self.status = status
        self.id = id
        self.stream = stream
    }

    /// Creates the in-band error message.
    public static func failure(_ message: String, code: Int? = nil) -> ProgressMessage {
        var result = ProgressMessage()
        result.errorDetail = ErrorDetail(message: message, code: code)
        result.error = message
        return result
    }
}
