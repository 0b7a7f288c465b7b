/// What a hijacking route hands to the connection: where stdin goes and what output to frame.
struct HijackSession: Sendable {
    /// Receives the client's bytes; finished on the client's half-close or disconnect.
    var stdin: AsyncStream<[UInt8]>.Continuation
    /// Output to send; stdcopy frames unless `tty`.
    var output: ProcessOutput
    /// Whether the client sent `Connection: Upgrade` (101) or not (200 with a raw stream).
    var upgrade: Bool
    /// The API version of the request; nil for the current one.
    var version: APIVersion?

    /// The `Content-Type` dockerd sends: `application/vnd.docker.multiplexed-stream` for stdcopy frames (API 1.42
    /// and later; unversioned requests get the current one, `APIVersion.maximum`), else
    /// `application/vnd.docker.raw-stream`.
    var contentType: String {
        let multiplexed = !output.tty && (version ?? .maximum) >= APIVersion(major: 1, minor: 42)
        return multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream"
    }
}
