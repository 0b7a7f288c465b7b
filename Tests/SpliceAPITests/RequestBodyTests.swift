import Foundation
import Testing
import APITestSupport

/// A request is executed only when its body arrived whole (the reliability issue, section 2): a body cut short
/// by a disconnect is never handed to the engine as if complete, and a body over the limit gets 413.
@Suite("Request bodies: whole or not at all")
struct RequestBodyTests {
    static let create = #"{"Image":"bb","Cmd":["true"]}"#

    /// Waits up to a second for the fake engine to record a call starting with `prefix`.
    static func recorded(_ prefix: String, by engine: FakeEngine) async throws -> Bool {
        for _ in 0..<20 {
            if engine.calls.contains(where: { $0.hasPrefix(prefix) }) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("a create body shorter than its Content-Length, then a disconnect, creates nothing")
    func shortContentLength() async throws {
        try await ServerTests.withServer { server in
            let half = String(Self.create.prefix(12))
            let request = "POST /v1.41/containers/create HTTP/1.1\r\n\(ServerTests.cliHeaders)"
                + "Content-Type: application/json\r\nContent-Length: \(Self.create.utf8.count)\r\n\r\n\(half)"
            let path = server.socketPath
            try await offPool {
                let client = try RawHTTPClient(path: path)
                try client.send(request)
                client.halfClose()
                _ = try? client.readToEnd()
            }
            #expect(try await Self.recorded("create(", by: server.engine) == false)
            // The same body sent whole is executed, so the check above can fail.
            let (head, _) = try await server.exchange(ServerTests.post("/v1.41/containers/create", body: Self.create))
            #expect(head.statusLine == "HTTP/1.1 201 Created")
            #expect(try await Self.recorded("create(", by: server.engine))
        }
    }

    @Test("a chunked import without its last chunk, then a disconnect, imports nothing")
    func chunkedWithoutLastChunk() async throws {
        try await ServerTests.withServer { server in
            let head = "POST /v1.41/images/create?fromSrc=-&repo=trunc&tag=half HTTP/1.1\r\n\(ServerTests.cliHeaders)"
                + "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n"
            let chunk = String(repeating: "x", count: 512)
            let path = server.socketPath
            try await offPool {
                let client = try RawHTTPClient(path: path)
                try client.send(head + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n")
                client.halfClose()
                _ = try? client.readToEnd()
            }
            #expect(try await Self.recorded("import(", by: server.engine) == false)
        }
    }

    @Test("a JSON body over the limit gets 413 and the connection closes")
    func tooLarge() async throws {
        try await ServerTests.withServer { server in
            let request = "POST /v1.41/containers/create HTTP/1.1\r\n\(ServerTests.cliHeaders)"
                + "Content-Type: application/json\r\nContent-Length: \(64 << 20)\r\n\r\n{\"Image\":"
            let path = server.socketPath
            let (head, body, rest) = try await offPool { () -> (RawHTTPClient.Head, [UInt8], [UInt8]) in
                let client = try RawHTTPClient(path: path)
                try client.send(request)
                let response = try client.readResponse()
                return (response.head, response.body, try client.readToEnd())
            }
            #expect(head.statusLine == "HTTP/1.1 413 Payload Too Large")
            #expect(head.header("Connection") == "close")
            let message = try jsonObject(body)["message"] as? String
            #expect(message?.contains("request body too large") == true)
            #expect(rest.isEmpty, "the server closed the connection instead of reading the rest as a request")
            #expect(try await Self.recorded("create(", by: server.engine) == false)
        }
    }

    /// The docker CLI writes a whole `import` or `load` tar before it reads the answer: a daemon that refuses the
    /// request at once (a full disk, an unknown route) must read the rest of the body before closing, or the
    /// client's write fails with a broken pipe and the user never sees why.
    @Test("an answer written before the body ended reaches a client that writes the whole body first")
    func earlyAnswerToALargeBody() async throws {
        try await ServerTests.withServer { server in
            let size = 8 << 20
            let request = "POST /v1.41/no/such/route HTTP/1.1\r\n\(ServerTests.cliHeaders)"
                + "Content-Type: application/x-tar\r\nContent-Length: \(size)\r\n\r\n"
            let path = server.socketPath
            let (head, rest) = try await offPool { () -> (RawHTTPClient.Head, [UInt8]) in
                let client = try RawHTTPClient(path: path)
                try client.send(request)
                // Far more than the socket buffers hold: without the drain this write fails with EPIPE.
                try client.send([UInt8](repeating: 0x61, count: size))
                let response = try client.readResponse()
                return (response.head, try client.readToEnd())
            }
            #expect(head.statusLine.hasPrefix("HTTP/1.1 404"))
            #expect(head.header("Connection") == "close")
            #expect(rest.isEmpty, "the server closed the connection after the body")
        }
    }
}
