import AsyncHTTPClient
import Glibc
import NIOCore

extension HTTPDownload {
    /// What a server answered a download with, whatever its status: the body went to the file.
    public struct Answer: Sendable, Equatable {
        /// The status code (after redirects).
        public var status: Int
        /// The status line's reason (`Not Found`).
        public var reason: String
        /// The `Content-Type` header, empty when the server sent none.
        public var contentType: String
        /// The body's length in bytes.
        public var size: Int64
    }

    /// Downloads `url` into `fileDescriptor` as `fetch` does, but an answer of any status is returned with its body
    /// written, for callers that word status errors themselves (`docker build` of a remote context). A server that
    /// cannot be reached, a certificate that does not verify or a dropped connection is an error in dockerd's form
    /// (`Get "URL": …`).
    public static func fetchAnswer(_ url: String, into fileDescriptor: Int32) async throws(ImageError) -> Answer {
        let client = makeClient()
        do {
            let answer = try await answer(url, with: client, into: fileDescriptor)
            try? await client.shutdown()
            return answer
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The request and the copy of its body.
    private static func answer(_ url: String, with client: HTTPClient, into fileDescriptor: Int32)
        async throws(ImageError) -> Answer
    {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: url), timeout: .minutes(30))
        } catch {
            throw ImageError(.invalidArgument, "Get \"\(url)\": \(error)")
        }
        var size: Int64 = 0
        do {
            for try await buffer in response.body {
                if !write(buffer, to: fileDescriptor) { throw ImageError.system(.current("write", path: url)) }
                size += Int64(buffer.readableBytes)
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.invalidArgument, "Get \"\(url)\": \(error)")
        }
        return Answer(status: Int(response.status.code), reason: response.status.reasonPhrase,
                      contentType: response.headers.first(name: "Content-Type") ?? "", size: size)
    }
}
