import NIOHTTP1
import struct EngineErrors.EngineError

extension EngineError {
    /// The Docker status for this error (contract 3): 404, 409, 400, 413, 503 or 500.
    var httpStatus: HTTPResponseStatus {
        switch code {
        case .notFound: .notFound
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .invalidArgument: .badRequest
        case .tooLarge: .payloadTooLarge
        case .unavailable: .serviceUnavailable
        case .notImplemented: .notImplemented
        case .internal: .internalServerError
        }
    }
}
