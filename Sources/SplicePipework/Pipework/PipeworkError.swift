import NetlinkKit
import SystemKit

/// Why a pipework operation failed, in words a user can act on.
public struct PipeworkError: Error, Equatable, CustomStringConvertible {
    /// The full message, naming the argument or object at fault.
    public let message: String

    public init(_ message: String) { self.message = message }

    /// Wraps a kernel error with what pipework was doing.
    public init(_ error: NetlinkError) { message = error.description }

    /// Wraps a system call error.
    public init(_ error: SystemError) { message = error.description }

    /// Converts any error met while applying a step: pipework, kernel and system errors keep their text.
    public init(wrapping error: any Error) {
        switch error {
        case let error as PipeworkError: self = error
        case let error as NetlinkError: self.init(error)
        case let error as SystemError: self.init(error)
        default: self.init("\(error)")
        }
    }

    public var description: String { message }
}

extension NetlinkError {
    /// Converts to `PipeworkError` for `throws(PipeworkError)` contexts.
    var pipework: PipeworkError { PipeworkError(self) }
}
