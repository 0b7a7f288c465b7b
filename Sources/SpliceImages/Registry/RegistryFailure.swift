import AsyncHTTPClient
import FoundationEssentials
import Glibc
import NIOCore
import NIOHTTP1

/// The registry's failures in dockerd's words.
enum RegistryFailure {
    /// A registry that does not answer: `Get "URL": <cause>` (HTTP 500).
    static func unreachable(method: HTTPMethod, url: String, error: any Error) -> ImageError {
        let verb = method.rawValue.prefix(1) + method.rawValue.dropFirst().lowercased()
        var cause = "\(error)"
        if let failure = error as? IOError {
            let host = RegistryEndpoint.hostPort(of: url)
            cause = "dial tcp \(host): connect: " + String(cString: strerror(failure.errnoCode)).lowercased()
        }
        return ImageError(.internal, "\(verb) \"\(url)\": \(cause)")
    }

    /// `code lowered: message` of a registry's `{"errors":[{"code","message"}]}` body, as dockerd prints it.
    static func describe(_ body: [UInt8]) -> String? {
        struct Body: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Entry]?
        }
        guard let entries = (try? JSONDecoder().decode(Body.self, from: Data(body)))?.errors, !entries.isEmpty
        else { return nil }
        return entries.map { entry in
            let code = (entry.code ?? "unknown").lowercased().replacing("_", with: " ")
            return entry.message.map { "\(code): \($0)" } ?? code
        }.joined(separator: ", ")
    }

    /// An unexpected answer to `what`: the registry's own error text, or the status.
    static func unexpected(_ response: HTTPClientResponse, body: [UInt8], what: String) -> ImageError {
        let text = describe(body) ?? "unexpected status \(response.status.code) \(response.status.reasonPhrase)"
        let code: ImageError.Code = response.status == .notFound ? .notFound : .internal
        return ImageError(code, "\(what): \(text)")
    }
}
