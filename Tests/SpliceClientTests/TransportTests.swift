import DockerModels
import Testing
@testable import SpliceClient

@Suite("HTTP framing, stdcopy and endpoints")
struct TransportTests {
    @Test(arguments: [1, 3, 4096])
    func chunkedBody(pieceSize: Int) throws {
        let wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nApi-Version: 1.41\r\n\r\n"
            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"
        let response = try HTTPResponse(reading: MemorySource(Array(wire.utf8), pieceSize: pieceSize))
        #expect(response.status == 200)
        #expect(response.headers["api-version"] == "1.41")
        #expect(String(decoding: try response.readBody(), as: UTF8.self) == "hello, world")
    }

    @Test func contentLengthAndError() throws {
        let wire = "HTTP/1.1 404 Not Found\r\nContent-Length: 41\r\n\r\n{\"message\":\"No such container: nosuch\"}\n\n"
        let response = try HTTPResponse(reading: MemorySource(Array(wire.utf8)))
        #expect(response.status == 404)
        #expect(HTTPResponse.errorMessage(try response.readBody()) == "No such container: nosuch")
        #expect(ClientError.daemon(status: 404, message: "No such container: nosuch").description
            == "Error response from daemon: No such container: nosuch")
    }

    @Test func malformedChunk() throws {
        let wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        let response = try HTTPResponse(reading: MemorySource(Array(wire.utf8)))
        #expect(throws: ClientError.self) { try response.readBody() }
    }

    @Test func stdcopyDemultiplexing() throws {
        let stream = StdcopyFrame.encode(.stdout, Array("out\n".utf8)) + StdcopyFrame.encode(.stderr, Array("err\n".utf8))
            + StdcopyFrame.encode(.stdout, Array("more".utf8))
        for size in [1, 5, 9, 100] {
            let source = MemorySource(stream, pieceSize: size)
            let captured = CapturedConsole()
            try SpliceCLI.copyStream(source.readSome, tty: false, console: captured.console)
            #expect(captured.stdout == "out\nmore")
            #expect(captured.stderr == "err\n")
        }
    }

    @Test func endpoints() throws {
        #expect(try Endpoint.select(flag: nil, environment: [:]) == .unix(path: "/run/splice.sock"))
        #expect(try Endpoint.select(flag: nil, environment: ["SPLICE_HOST": "tcp://10.0.0.1:2375"])
            == .tcp(host: "10.0.0.1", port: 2375))
        #expect(try Endpoint.select(flag: "unix:///tmp/x.sock", environment: ["SPLICE_HOST": "tcp://a:1"])
            == .unix(path: "/tmp/x.sock"))
        // A docker user's DOCKER_HOST is honoured when SPLICE_HOST is unset; SPLICE_HOST and -H beat it.
        #expect(try Endpoint.select(flag: nil, environment: ["DOCKER_HOST": "unix:///tmp/d.sock"])
            == .unix(path: "/tmp/d.sock"))
        #expect(try Endpoint.select(flag: nil, environment: ["DOCKER_HOST": "unix:///tmp/d.sock",
                                                             "SPLICE_HOST": "unix:///tmp/s.sock"])
            == .unix(path: "/tmp/s.sock"))
        #expect(try Endpoint.select(flag: "unix:///tmp/h.sock", environment: ["DOCKER_HOST": "unix:///tmp/d.sock"])
            == .unix(path: "/tmp/h.sock"))
        #expect(throws: ClientError.self) { try Endpoint(parsing: "tcp://host") }
        #expect(throws: ClientError.self) { try Endpoint(parsing: "ftp://host:1") }
    }

    @Test func queryEscaping() {
        #expect(DockerClient.queryEscape(#"{"name":{"cap_":true}}"#) == "%7B%22name%22%3A%7B%22cap_%22%3Atrue%7D%7D")
        #expect(DockerClient.queryEscape("imported msg") == "imported+msg")
    }
}
