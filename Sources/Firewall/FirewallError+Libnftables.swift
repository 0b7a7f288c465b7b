import Glibc
import SystemKit

extension FirewallError {
    /// Builds an error from libnftables' error buffer, such as
    /// `Error: Could not process rule: File exists` followed by the failing command and a caret line.
    static func libnftables(operation: String, errorText: String, returnCode: Int32) -> FirewallError {
        let lines = errorText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { errorMessage(in: $0) != nil }),
            let message = errorMessage(in: lines[index])
        else {
            let trimmed = errorText.trimmingWhitespace
            return FirewallError(
                kind: .nftables, operation: operation,
                message: trimmed.isEmpty ? "libnftables failed (return code \(returnCode))" : trimmed,
                details: errorText)
        }
        var command: String?
        if index + 1 < lines.count {
            let next = lines[index + 1]
            let isCaretLine = !next.isEmpty && next.allSatisfy { $0 == " " || $0 == "\t" || $0 == "^" || $0 == "~" }
            if !next.trimmingWhitespace.isEmpty, !isCaretLine { command = next.trimmingWhitespace }
        }
        return FirewallError(
            kind: .nftables, operation: operation, message: message, command: command,
            errno: errno(named: message), details: errorText)
    }

    /// The text after `Error: ` on a line such as `Error: …` or `file:3:1-5: Error: …`.
    private static func errorMessage(in line: String) -> String? {
        guard let range = line.firstRange(of: "Error: ") else { return nil }
        let prefix = line[..<range.lowerBound]
        guard prefix.isEmpty || prefix.hasSuffix(": ") else { return nil }
        return String(line[range.upperBound...]).trimmingWhitespace
    }

    /// The errno whose `strerror(3)` text ends `message`, as in `Could not process rule: File exists`.
    private static func errno(named message: String) -> Errno? {
        let candidates: [Int32] = [
            EEXIST, ENOENT, EPERM, EOPNOTSUPP, EBUSY, EINVAL, ENOMEM, ENOSPC, EPROTO, EAFNOSUPPORT, ENOBUFS,
            E2BIG, ERANGE, EACCES, EOVERFLOW, ENOTDIR,
        ]
        for raw in candidates {
            let errno = Errno(rawValue: raw)
            if message.hasSuffix(": " + errno.message) || message == errno.message { return errno }
        }
        return nil
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
