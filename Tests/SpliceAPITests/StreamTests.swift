import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

@Suite("Streams, waits and the hijack")
struct StreamTests {
    static let headers = ServerTests.cliHeaders

    @Test("events with until: chunked JSON lines, one event per chunk, then the end (events-since.txt)")
    func finiteEvents() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let (head, chunks) = try await offPool { () -> (RawHTTPClient.Head, [[UInt8]]) in
                let client = try RawHTTPClient(path: path)
                try client.send("GET /v1.41/events?since=1795972928&until=1795972930 HTTP/1.1\r\n\(Self.headers)\r\n")
                let head = try client.readHead()
                var chunks: [[UInt8]] = []
                while let chunk = try client.readChunk() { chunks.append(chunk) }
                return (head, chunks)
            }
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Type") == "application/json")
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(chunks.count == 2)
            #expect(chunks.allSatisfy { $0.last == 0x0A })
            let first = try jsonObject(chunks[0])
            #expect(first["Action"] as? String == "create")
            #expect(first["status"] as? String == "create")
            #expect(first["timeNano"] as? Int == 1_795_972_928_196_247_559)
            #expect(server.engine.calls == ["events(since: 1795972928, until: 1795972930, filters: [:])"])
        }
    }

    @Test("live events are flushed at once and the engine's stream ends when the client goes away")
    func liveEvents() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let first = try await offPool { () -> [UInt8] in
                let client = try RawHTTPClient(path: path)
                let filters = "%7B%22container%22%3A%7B%22cap_ev%22%3Atrue%7D%7D"
                try client.send("GET /v1.41/events?filters=\(filters) HTTP/1.1\r\n\(Self.headers)\r\n")
                _ = try client.readHead()
                return try client.readChunk() ?? []
            }
            #expect(try jsonObject(first)["Action"] as? String == "create")
            var cancelled = false
            for _ in 0..<100 where !cancelled {
                try await Task.sleep(for: .milliseconds(20))
                cancelled = server.engine.liveEventsCancelled
            }
            #expect(cancelled)
        }
    }

    @Test("wait sends its headers before the container exits, then {\"Error\":null,\"StatusCode\":N}")
    func waitHeadersFirst() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let engine = server.engine
            let result = try await offPool { () -> (String, [UInt8]) in
                let client = try RawHTTPClient(path: path)
                try client.send("POST /v1.41/containers/cap_main/wait?condition=next-exit HTTP/1.1\r\n\(Self.headers)"
                    + "Content-Length: 0\r\n\r\n")
                let head = try client.readHead()
                // The headers arrived while the wait is still pending: now let the container "exit".
                let pending = engine.pendingWaits
                engine.releaseWaits(exitCode: 3)
                let chunk = try client.readChunk() ?? []
                #expect(try client.readChunk() == nil)
                return (head.statusLine + " pending=\(pending) te=" + (head.header("Transfer-Encoding") ?? "-"), chunk)
            }
            #expect(result.0 == "HTTP/1.1 200 OK pending=1 te=chunked")
            #expect(String(decoding: result.1, as: UTF8.self) == "{\"Error\":null,\"StatusCode\":3}\n")
            #expect(engine.calls == ["wait(cap_main, next-exit)"])
        }
    }

    @Test("logs: stdcopy frames in a chunked body without Content-Type (logs.txt)")
    func logs() async throws {
        try await ServerTests.withServer { server in
            let (head, body) = try await server.exchange(
                "GET /v1.41/containers/cap_main/logs?stderr=1&stdout=1&tail=all HTTP/1.1\r\n\(Self.headers)\r\n")
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Type") == nil)
            #expect(head.header("Transfer-Encoding") == "chunked")
            let frames = StdcopyFrame.decode(body)
            #expect(frames.chunks == [OutputChunk(.stdout, "first-line\n"), OutputChunk(.stderr, "to-stderr\n")])
            #expect(frames.consumed == body.count)
        }
    }

    @Test("attach: exact 101 UPGRADED bytes, stdcopy frames, and output continues after the half-close")
    func attachHijack() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let (rawHead, output) = try await offPool { () -> (String, [UInt8]) in
                let client = try RawHTTPClient(path: path)
                try client.send("POST /v1.41/containers/\(FakeEngine.mainID)/attach?stderr=1&stdin=1&stdout=1&stream=1 "
                    + "HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\nConnection: Upgrade\r\n"
                    + "Content-Type: text/plain\r\nUpgrade: tcp\r\n\r\n")
                let head = try client.readRawHead()
                try client.send("typed input")
                client.halfClose()
                return (head, try client.readToEnd())
            }
            #expect(rawHead == "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
            #expect(Array(output.prefix(20)) == [1, 0, 0, 0, 0, 0, 0, 0x0C] + Array("hello world\n".utf8))
            let frames = StdcopyFrame.decode(output)
            #expect(frames.chunks == [OutputChunk(.stdout, "hello world\n"), OutputChunk(.stderr, "oops\n"),
                                      OutputChunk(.stdout, "stdin:typed input")])
            #expect(frames.consumed == output.count)
        }
    }

    @Test("attach to an unknown container is a plain 404, not a hijack")
    func attachMissing() async throws {
        try await ServerTests.withServer { server in
            let (head, body) = try await server.exchange("POST /v1.41/containers/nosuch/attach?stream=1&stdout=1 "
                + "HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
            #expect(head.statusLine == "HTTP/1.1 404 Not Found")
            #expect(try jsonObject(body)["message"] as? String == "No such container: nosuch")
        }
    }

    @Test("exec start with a TTY: the JSON body is read, then raw unframed bytes (exec-it.txt)")
    func execTTY() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let (rawHead, output) = try await offPool { () -> (String, [UInt8]) in
                let client = try RawHTTPClient(path: path)
                let body = #"{"Detach":false,"Tty":true}"#
                try client.send("POST /v1.41/exec/2ff6683df53d/start HTTP/1.1\r\n\(Self.headers)"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: Upgrade\r\nContent-Type: application/json\r\n"
                    + "Upgrade: tcp\r\n\r\n\(body)")
                let head = try client.readRawHead()
                client.halfClose()
                return (head, try client.readToEnd())
            }
            #expect(rawHead.hasPrefix("HTTP/1.1 101 UPGRADED\r\n"))
            #expect(String(decoding: output, as: UTF8.self) == "hello world\noops\nstdin:")
            #expect(server.engine.calls == ["startExec(2ff6683df53d, tty: true)"])
        }
    }

    @Test("exec start: no output follows the 101 head before the client has read the head (docker-py issue 1799)")
    func outputWaitsForTheHeadToBeRead() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let (first, rest) = try await offPool { () -> ([UInt8], [UInt8]) in
                let client = try RawHTTPClient(path: path)
                let body = #"{"Detach":false,"Tty":false}"#
                try client.send("POST /v1.41/exec/2ff6683df53d/start HTTP/1.1\r\n\(Self.headers)"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: Upgrade\r\nContent-Type: application/json\r\n"
                    + "Upgrade: tcp\r\n\r\n\(body)")
                // A slow client: by now a server that does not wait has written the output behind the head.
                usleep(200_000)
                let first = try client.receiveOnce()
                client.halfClose()
                return (first, try client.readToEnd())
            }
            let head = String(decoding: first, as: UTF8.self)
            #expect(head.hasPrefix("HTTP/1.1 101 UPGRADED\r\n"))
            #expect(head.hasSuffix("\r\n\r\n"), "the first read holds the head and nothing after it: \(head)")
            #expect(String(decoding: rest, as: UTF8.self).contains("hello world\n"))
        }
    }

    @Test("import: a chunked upload streams to the engine; progress lines end in \\r\\n (import.txt)")
    func importUpload() async throws {
        try await ServerTests.withServer { server in
            let path = server.socketPath
            let (head, body) = try await offPool { () -> (RawHTTPClient.Head, [UInt8]) in
                let client = try RawHTTPClient(path: path)
                try client.send("POST /v1.41/images/create?fromSrc=-&repo=cap-imported%3Av1&changes=CMD+%5B%22%2Fbin%2Fsh%22%5D "
                    + "HTTP/1.1\r\n\(Self.headers)Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n")
                try client.send("5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n")
                let response = try client.readResponse()
                return (response.head, response.body)
            }
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Type") == "application/json")
            #expect(String(decoding: body, as: UTF8.self)
                == "{\"status\":\"sha256:89f60340e905dc5aa3322f1c0a3bdc04aef90e8e907cb52aa030ef01daa52a2b\"}\r\n")
            #expect(server.engine.calls == ["import(repo: cap-imported:v1, bytes: 8, changes: [\"CMD [\\\"/bin/sh\\\"]\"])"])
        }
    }
}
