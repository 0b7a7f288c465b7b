import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

/// Request lines and headers copied from the captures; responses checked against their status lines,
/// header sets and JSON shapes.
@Suite("Server on a unix socket")
struct ServerTests {
    static let cliHeaders = "Host: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\n"

    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\n\(cliHeaders)\r\n" }
    static func post(_ path: String, body: String = "") -> String {
        let type = body.isEmpty ? "" : "Content-Type: application/json\r\n"
        return "POST \(path) HTTP/1.1\r\n\(cliHeaders)Content-Length: \(body.utf8.count)\r\n\(type)\r\n\(body)"
    }
    static func delete(_ path: String) -> String { "DELETE \(path) HTTP/1.1\r\n\(cliHeaders)\r\n" }

    static func withServer(_ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer.start()
        do {
            try await body(server)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    static func expectCommonHeaders(_ head: RawHTTPClient.Head) {
        #expect(head.header("Api-Version") == "1.41")
        #expect(head.header("Docker-Experimental") == "false")
        #expect(head.header("Ostype") == "linux")
        #expect(head.header("Server") == "Docker/0.1.0 (linux)")
        #expect(head.header("Date")?.hasSuffix(" GMT") == true)
    }

    @Test("HEAD /_ping answers dockerd's headers in dockerd's order (version.txt)")
    func headPing() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange("HEAD /_ping HTTP/1.1\r\n\(Self.cliHeaders)\r\n", isHead: true)
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.names == ["Api-Version", "Cache-Control", "Content-Length", "Content-Type",
                                   "Docker-Experimental", "Ostype", "Pragma", "Server", "Date"])
            #expect(head.header("Content-Length") == "0")
            #expect(head.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(head.header("Cache-Control") == "no-cache, no-store, must-revalidate")
            #expect(head.header("Pragma") == "no-cache")
            Self.expectCommonHeaders(head)
            #expect(body.isEmpty)
        }
    }

    @Test("GET /v1.41/_ping (docker-py) answers OK")
    func getPing() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get("/v1.41/_ping"))
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Length") == "2")
            #expect(String(decoding: body, as: UTF8.self) == "OK")
        }
    }

    @Test("GET /version with and without a version prefix", arguments: ["/version", "/v1.41/version", "/v1.24/version"])
    func version(path: String) async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get(path))
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.names == ["Api-Version", "Content-Type", "Docker-Experimental", "Ostype", "Server", "Date",
                                   "Content-Length"])
            #expect(head.header("Content-Type") == "application/json")
            #expect(head.header("Content-Length") == String(body.count))
            #expect(body.last == 0x0A)
            let object = try jsonObject(body)
            #expect(object["ApiVersion"] as? String == "1.41")
            #expect(object["MinAPIVersion"] as? String == "1.24")
            for key in ["Version", "GitCommit", "GoVersion", "Os", "Arch", "KernelVersion", "BuildTime", "Components"] {
                #expect(object[key] != nil, "missing \(key)")
            }
        }
    }

    @Test("versions outside 1.24...1.41 are refused with dockerd's 400 text", arguments: [
        ("/v1.50/version", "client version 1.50 is too new. Maximum supported API version is 1.41"),
        ("/v1.42/_ping", "client version 1.42 is too new. Maximum supported API version is 1.41"),
        ("/v1.12/version", "client version 1.12 is too old. Minimum supported API version is 1.24"),
        ("/v1.9/containers/json", "client version 1.9 is too old. Minimum supported API version is 1.24"),
    ])
    func negotiation(path: String, message: String) async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get(path))
            #expect(head.statusLine == "HTTP/1.1 400 Bad Request")
            #expect(head.header("Content-Type") == "application/json")
            Self.expectCommonHeaders(head)
            #expect(String(decoding: body, as: UTF8.self) == "{\"message\":\"\(message)\"}\n")
            #expect(server.engine.calls.isEmpty)
        }
    }

    @Test("404 for an unknown container matches rm-missing.txt byte for byte in the body")
    func noSuchContainer() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get("/v1.41/containers/nosuch_cap/json"))
            #expect(head.statusLine == "HTTP/1.1 404 Not Found")
            #expect(head.header("Content-Type") == "application/json")
            #expect(head.header("Content-Length") == "44")
            #expect(String(decoding: body, as: UTF8.self) == "{\"message\":\"No such container: nosuch_cap\"}\n")
        }
    }

    @Test("the inspect fallthrough routes answer JSON 404s (nosuch.txt)", arguments: [
        ("/v1.41/networks/nosuchcontainer", "network nosuchcontainer not found", 48),
        ("/v1.41/volumes/nosuchcontainer", "get nosuchcontainer: no such volume", 50),
        ("/v1.41/plugins/nosuchcontainer/json", #"plugin \"nosuchcontainer\" not found"#, 51),
        ("/v1.41/no/such/route", "page not found", 29),
    ])
    func fallthrough404(path: String, message: String, length: Int) async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get(path))
            #expect(head.statusLine == "HTTP/1.1 404 Not Found")
            #expect(head.header("Content-Length") == String(length))
            #expect(String(decoding: body, as: UTF8.self) == "{\"message\":\"\(message)\"}\n")
        }
    }

    @Test("409 for a name conflict (run-name-conflict.txt) and for kill of a stopped container")
    func conflicts() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(
                Self.post("/v1.41/containers/create?name=cap_main", body: ModelTests.cliCreate))
            #expect(head.statusLine == "HTTP/1.1 409 Conflict")
            let message = try jsonObject(body)["message"] as? String
            #expect(message?.hasPrefix("Conflict. The container name \"/cap_main\" is already in use") == true)
            let (killHead, _) = try await server.exchange(Self.post("/v1.41/containers/cap_created/kill?signal=USR1"))
            #expect(killHead.statusLine == "HTTP/1.1 409 Conflict")
            #expect(server.engine.calls.contains("kill(cap_created, signal: USR1)"))
        }
    }

    @Test("400 for bad filters, a bad body and a bad wait condition")
    func badRequests() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get("/v1.41/containers/json?filters=%7Bnope"))
            #expect(head.statusLine == "HTTP/1.1 400 Bad Request")
            #expect(try jsonObject(body)["message"] as? String == "invalid filter: {nope")
            let (createHead, _) = try await server.exchange(Self.post("/v1.41/containers/create", body: "[1,2"))
            #expect(createHead.statusLine == "HTTP/1.1 400 Bad Request")
            let (emptyHead, _) = try await server.exchange(Self.post("/v1.41/containers/create"))
            #expect(emptyHead.statusLine == "HTTP/1.1 400 Bad Request")
            let (waitHead, _) = try await server.exchange(Self.post("/v1.41/containers/cap_main/wait?condition=soon"))
            #expect(waitHead.statusLine == "HTTP/1.1 400 Bad Request")
        }
    }

    @Test("create answers 201 with Id and Warnings (run-fg.txt)")
    func create() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(
                Self.post("/v1.41/containers/create?name=cap_fg", body: ModelTests.cliCreate))
            #expect(head.statusLine == "HTTP/1.1 201 Created")
            #expect(head.header("Content-Length") == "88")
            #expect(try jsonObject(body)["Warnings"] as? [String] == [])
            #expect(server.engine.calls == ["create(name: cap_fg, image: bb:latest, cmd: [\"echo\", \"hello\", \"world\"])"])
        }
    }

    @Test("start of a running container is 304 with no body; stop is 204")
    func startStop() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.post("/v1.41/containers/cap_main/start"))
            #expect(head.statusLine == "HTTP/1.1 304 Not Modified")
            #expect(body.isEmpty)
            let (stopHead, _) = try await server.exchange(Self.post("/v1.41/containers/cap_main/stop?t=1"))
            #expect(stopHead.statusLine == "HTTP/1.1 204 No Content")
            #expect(stopHead.header("Content-Length") == nil)
            #expect(server.engine.calls == ["start(cap_main)", "stop(cap_main, t: 1)"])
        }
    }

    @Test("names with slashes and colons reach the engine whole")
    func slashedNames() async throws {
        try await Self.withServer { server in
            let (tagHead, _) = try await server.exchange(
                Self.post("/v1.41/images/127.0.0.1:5000/bb/tag?repo=docker.io%2Flibrary%2Fcap-committed&tag=v1"))
            #expect(tagHead.statusLine == "HTTP/1.1 201 Created")
            let (rmHead, _) = try await server.exchange(Self.delete("/v1.41/containers/a/web?link=1"))
            #expect(rmHead.statusLine == "HTTP/1.1 204 No Content")
            let (rmiHead, rmiBody) = try await server.exchange(Self.delete("/v1.41/images/127.0.0.1:5000/bb?force=1"))
            #expect(rmiHead.statusLine == "HTTP/1.1 200 OK")
            #expect(try jsonArray(rmiBody).first?["Untagged"] as? String == "127.0.0.1:5000/bb")
            let (probe, _) = try await server.exchange(Self.get("/v1.41/containers/127.0.0.1:5000/x:tag/json"))
            #expect(probe.statusLine == "HTTP/1.1 404 Not Found")
            let (image, _) = try await server.exchange(Self.get("/v1.41/images/127.0.0.1:5000/x:tag/json"))
            #expect(image.statusLine == "HTTP/1.1 404 Not Found")
            #expect(server.engine.calls == [
                "tag(127.0.0.1:5000/bb, repo: docker.io/library/cap-committed, tag: v1)",
                "remove(a/web, force: false, v: false, link: true)",
                "removeImage(127.0.0.1:5000/bb, force: true, noprune: false)",
                "container(127.0.0.1:5000/x:tag)",
                "image(127.0.0.1:5000/x:tag)",
            ])
        }
    }

    @Test("list queries: CLI map filters and docker-py list filters with limit=-1")
    func listQueries() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get(
                "/v1.41/containers/json?all=1&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D"))
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            let entry = try #require(try jsonArray(body).first)
            #expect(entry["Names"] as? [String] == ["/cap_main"])
            #expect(entry["SizeRw"] == nil)
            _ = try await server.exchange(Self.get(
                "/v1.41/containers/json?limit=-1&all=1&size=0&trunc_cmd=0&filters=%7B%22name%22%3A+%5B%22cap_py%22%5D%7D"))
            _ = try await server.exchange(Self.get("/v1.41/images/json?filters=%7B%22dangling%22%3A%7B%22true%22%3Atrue%7D%7D"))
            #expect(server.engine.calls == [
                "containers(all: true, limit: -, filters: [\"status\": [\"exited\"]])",
                "containers(all: true, limit: -, filters: [\"name\": [\"cap_py\"]])",
                "images(all: false, filters: [\"dangling\": [\"true\"]])",
            ])
        }
    }

    @Test("info and container inspect are chunked, as dockerd sends them")
    func chunkedBodies() async throws {
        try await Self.withServer { server in
            let (head, body) = try await server.exchange(Self.get("/v1.41/info"))
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(head.header("Content-Length") == nil)
            #expect(try jsonObject(body)["ServerVersion"] as? String == "0.1.0-test")
            let (inspectHead, inspectBody) = try await server.exchange(Self.get("/v1.41/containers/cap_main/json"))
            #expect(inspectHead.header("Transfer-Encoding") == "chunked")
            #expect(try jsonObject(inspectBody)["Name"] as? String == "/cap_main")
        }
    }

    @Test("one keep-alive connection carries HEAD /_ping, create and exec requests in turn")
    func keepAlive() async throws {
        try await Self.withServer { server in
            let path = server.socketPath
            let statuses = try await offPool { () -> [String] in
                let client = try RawHTTPClient(path: path)
                var lines: [String] = []
                try client.send("HEAD /_ping HTTP/1.1\r\n\(Self.cliHeaders)\r\n")
                lines.append(try client.readResponse(isHead: true).head.statusLine)
                try client.send(Self.post("/v1.41/containers/create?name=cap_fg", body: ModelTests.dockerPyCreate))
                lines.append(try client.readResponse().head.statusLine)
                let exec = #"{"User":"","Privileged":false,"Tty":false,"AttachStdin":false,"AttachStderr":true,"#
                    + #""AttachStdout":true,"Detach":false,"DetachKeys":"","Env":null,"WorkingDir":"","Cmd":["sh"]}"#
                try client.send(Self.post("/v1.41/containers/cap_main/exec", body: exec))
                lines.append(try client.readResponse().head.statusLine)
                try client.send(Self.post("/v1.41/exec/2ff6/start", body: #"{"Detach":true,"Tty":false}"#))
                let detached = try client.readResponse()
                lines.append(detached.head.statusLine + " length=" + (detached.head.header("Content-Length") ?? "-"))
                try client.send(Self.post("/v1.41/exec/2ff6/resize?h=24&w=80"))
                lines.append(try client.readResponse().head.statusLine)
                try client.send(Self.get("/v1.41/exec/2ff6/json"))
                lines.append(try client.readResponse().head.statusLine)
                return lines
            }
            #expect(statuses == ["HTTP/1.1 200 OK", "HTTP/1.1 201 Created", "HTTP/1.1 201 Created",
                                 "HTTP/1.1 200 OK length=0", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
            #expect(server.engine.calls == ["create(name: cap_fg, image: bb:latest, cmd: [\"echo\", \"hi\"])",
                                            "createExec(cap_main, [\"sh\"])", "startExecDetached(2ff6)",
                                            "resizeExec(2ff6, 24x80)", "exec(2ff6)"])
        }
    }
}
