import struct EngineErrors.EngineError
import struct SystemKit.SystemError

extension EngineError {
    /// A 500 for the system call that just failed (errno is read here), carrying the `SystemError` as its cause;
    /// `message` words it from that error, its description unless given.
    static func system(_ operation: String, path: String? = nil,
                       message: (SystemError) -> String = { "\($0)" }) -> EngineError
    {
        let failure = SystemError.current(operation, path: path)
        return EngineError(.internal, message(failure), cause: failure)
    }
}
