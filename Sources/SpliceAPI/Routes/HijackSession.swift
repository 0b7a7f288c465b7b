/// What a hijacking route hands to the connection: where stdin goes and what output to frame.
struct HijackSession: Sendable {
    /// Receives the client's bytes; finished on the client's half-close or disconnect.
    var stdin: AsyncStream<[UInt8]>.Continuation
    /// Output to send; stdcopy frames unless `tty`.
    var output: ProcessOutput
    /// Whether the client sent `Connection: Upgrade` (101) or not (200 with a raw stream).
    var upgrade: Bool
}
