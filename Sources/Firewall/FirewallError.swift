import SystemKit

/// A firewall failure: a model Splice refuses, or libnftables' refusal with its error text and the failing command.
public struct FirewallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable {
        /// The model or mapping is invalid; nothing was sent to the kernel.
        case invalidModel
        /// libnftables or the kernel refused the commands; the transaction changed nothing.
        case nftables
        /// Entering the network namespace failed.
        case namespace
        /// libnftables' JSON read-back could not be decoded.
        case malformedReadBack
    }

    /// What went wrong, broadly.
    public let kind: Kind
    /// The Firewall operation, such as `"apply"` or `"publish"`.
    public let operation: String
    /// The first error line without its `Error:` prefix, such as `Could not process rule: File exists`.
    public let message: String
    /// The command libnftables quoted under the error, such as `add element ip splice-nat tcp-ports { … }`.
    public let command: String?
    /// The errno behind a kernel refusal, when libnftables named one.
    public let errno: Errno?
    /// libnftables' complete error text (every error, with its caret markers).
    public let details: String

    /// Creates an error.
    public init(
        kind: Kind, operation: String, message: String, command: String? = nil, errno: Errno? = nil,
        details: String = ""
    ) {
        self.kind = kind
        self.operation = operation
        self.message = message
        self.command = command
        self.errno = errno
        self.details = details
    }

    /// A model Splice refuses, with the reason.
    public static func invalidModel(_ reason: String, operation: String = "validate") -> FirewallError {
        FirewallError(kind: .invalidModel, operation: operation, message: reason)
    }

    /// Whether the kernel said the object is already gone (ENOENT), which teardown treats as success.
    public var meansAlreadyGone: Bool { errno.map(\.meansAlreadyGone) ?? false }

    /// Whether the kernel refused because an element with the same key but another value exists (EEXIST).
    public var meansConflict: Bool { errno == .exists }

    /// `cannot OPERATION: MESSAGE`, and the failing command on a second line when there is one.
    public var description: String {
        var text = "cannot \(operation): \(message)"
        if let command { text += "\n  in: \(command)" }
        return text
    }
}
