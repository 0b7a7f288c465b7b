import struct EngineErrors.EngineError

/// A request body as it arrives: chunks in order, ending normally only when the whole body arrived. A body cut
/// short (a disconnect before `Content-Length` bytes or before the last chunk) ends by throwing
/// `RequestBody.incomplete`, so a route or engine call that reads to the end never executes half a request.
public typealias RequestBody = AsyncThrowingStream<[UInt8], any Error>

/// The errors a `RequestBody` ends with.
public enum RequestBodyError {
    /// The client went away before the body ended.
    public static let incomplete = EngineError(.invalidArgument, "request body incomplete: the client went away")
}
