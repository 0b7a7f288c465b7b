import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

@Suite("Registry, archive and image transfer routes")
struct RegistryArchiveRouteTests {
    static let headers = ServerTests.cliHeaders

    @Test("pull: 404 before streaming, in-band error after, X-Registry-Auth decoded (pull-missing, push-noauth)")
    func pull() async throws {
        try await ServerTests.withServer { server in
            let (missing, missingBody) = try await server.exchange("POST /v1.41/images/create?fromImage="
                + "127.0.0.1%3A5000%2Fnonexistent&tag=nope HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\n"
                + "X-Registry-Auth: e30=\r\n\r\n")
            #expect(missing.statusLine == "HTTP/1.1 404 Not Found")
            #expect(try jsonObject(missingBody)["message"] as? String
                == "manifest for 127.0.0.1:5000/nonexistent:nope not found: manifest unknown: manifest unknown")
            let (head, body) = try await server.exchange("POST /v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fbb"
                + "&tag=latest HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\nX-Registry-Auth: e30=\r\n\r\n")
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Type") == "application/json")
            #expect(String(decoding: body, as: UTF8.self) == "{\"id\":\"latest\",\"status\":\"Pulling from bb\"}\r\n"
                + "{\"error\":\"no basic auth credentials\",\"errorDetail\":{\"message\":\"no basic auth credentials\"}}\r\n")
            // {"username":"u","password":"p","serveraddress":"127.0.0.1:5000"} in base64url without padding.
            let auth = Data(#"{"username":"u","password":"p","serveraddress":"127.0.0.1:5000"}"#.utf8)
                .base64EncodedString().replacingOccurrences(of: "=", with: "")
            let (authed, authedBody) = try await server.exchange("POST /v1.41/images/create?fromImage=bb&tag=latest "
                + "HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\nX-Registry-Auth: \(auth)\r\n\r\n")
            #expect(authed.statusLine == "HTTP/1.1 200 OK")
            #expect(!String(decoding: authedBody, as: UTF8.self).contains("error"))
            #expect(server.engine.calls == ["pull(127.0.0.1:5000/nonexistent, tag: nope, user: -)",
                                            "pull(127.0.0.1:5000/bb, tag: latest, user: -)",
                                            "pull(bb, tag: latest, user: u)"])
        }
    }

    @Test("push routes on the /push suffix with a registry name in the path (push.txt)")
    func push() async throws {
        try await ServerTests.withServer { server in
            let (head, body) = try await server.exchange("POST /v1.41/images/127.0.0.1:5000/bb/push?tag=latest HTTP/1.1\r\n"
                + "\(Self.headers)Content-Length: 0\r\nX-Registry-Auth: e30=\r\n\r\n")
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: body, as: UTF8.self)
                == "{\"status\":\"The push refers to repository [127.0.0.1:5000/bb]\"}\r\n")
            #expect(server.engine.calls == ["push(127.0.0.1:5000/bb, tag: latest)"])
        }
    }

    @Test("auth: success body and the 500 for bad credentials (login-noauth, login-bad)")
    func auth() async throws {
        try await ServerTests.withServer { server in
            let good = #"{"username":"u","password":"p","serveraddress":"127.0.0.1:5000"}"#
            let (head, body) = try await server.exchange(ServerTests.post("/v1.41/auth", body: good))
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: body, as: UTF8.self) == "{\"IdentityToken\":\"\",\"Status\":\"Login Succeeded\"}\n")
            let bad = #"{"username":"u","password":"x","serveraddress":"127.0.0.1:5001"}"#
            let (badHead, _) = try await server.exchange(ServerTests.post("/v1.41/auth", body: bad))
            #expect(badHead.statusLine == "HTTP/1.1 500 Internal Server Error")
        }
    }

    @Test("archive: GET has the base64 stat header and a tar stream; HEAD of a missing path is 404 (cp-*.txt)")
    func archive() async throws {
        try await ServerTests.withServer { server in
            let (head, body) = try await server.exchange(ServerTests.get(
                "/v1.41/containers/cap_main/archive?path=%2Fnewdir%2Ffile.txt"))
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.header("Content-Type") == "application/x-tar")
            let stat = try #require(head.header("X-Docker-Container-Path-Stat").flatMap { Data(base64Encoded: $0) })
            let object = try jsonObject(Array(stat))
            #expect(object["name"] as? String == "file.txt")
            #expect(object["mode"] as? Int == 420)
            #expect(String(decoding: body, as: UTF8.self) == "file.txt-tar")
            let (missing, _) = try await server.exchange(
                "HEAD /v1.41/containers/cap_main/archive?path=%2Fnonexistent HTTP/1.1\r\n\(Self.headers)\r\n", isHead: true)
            #expect(missing.statusLine == "HTTP/1.1 404 Not Found")
            let (put, _) = try await server.exchange("PUT /v1.41/containers/cap_main/archive?path=%2Ftmp"
                + "&noOverwriteDirNonDir=true HTTP/1.1\r\n\(Self.headers)Transfer-Encoding: chunked\r\n"
                + "Content-Type: text/plain\r\n\r\n4\r\ntar!\r\n0\r\n\r\n")
            #expect(put.statusLine == "HTTP/1.1 200 OK")
            #expect(put.header("Content-Length") == "0")
            #expect(server.engine.calls == ["archive(cap_main, /newdir/file.txt)",
                                            "extract(cap_main, /tmp, noOverwrite: true, bytes: 4)"])
        }
    }

    @Test("commit is 201 with the image Id; changes, history, export, save and load answer their shapes")
    func imageTransfer() async throws {
        try await ServerTests.withServer { server in
            let (commit, commitBody) = try await server.exchange(ServerTests.post(
                "/v1.41/commit?author=&changes=CMD+%5B%22%2Fbin%2Fsh%22%5D&comment=&container=cap_main"
                + "&pause=0&repo=docker.io%2Flibrary%2Fcap-committed&tag=v1"))
            #expect(commit.statusLine == "HTTP/1.1 201 Created")
            #expect((try jsonObject(commitBody)["Id"] as? String)?.hasPrefix("sha256:") == true)
            let (_, changes) = try await server.exchange(ServerTests.get("/v1.41/containers/cap_main/changes"))
            #expect(try jsonArray(changes).map { $0["Kind"] as? Int } == [1, 2])
            let (_, history) = try await server.exchange(ServerTests.get("/v1.41/images/bb:latest/history"))
            #expect(try jsonArray(history).first?["CreatedBy"] as? String == "/bin/sh")
            let (export, exportBody) = try await server.exchange(ServerTests.get("/v1.41/containers/cap_main/export"))
            #expect(export.header("Content-Type") == "application/octet-stream")
            #expect(String(decoding: exportBody, as: UTF8.self) == "tar-part-1tar-part-2")
            let (save, _) = try await server.exchange(ServerTests.get("/v1.41/images/get?names=a&names=b%3Av1"))
            #expect(save.header("Content-Type") == "application/x-tar")
            let (load, loadBody) = try await server.exchange("POST /v1.41/images/load?quiet=1 HTTP/1.1\r\n"
                + "\(Self.headers)Transfer-Encoding: chunked\r\nContent-Type: application/x-tar\r\n\r\n2\r\nab\r\n0\r\n\r\n")
            #expect(load.header("Content-Type") == "application/json")
            #expect(String(decoding: loadBody, as: UTF8.self) == "{\"stream\":\"Loaded image: cap-committed:v1\\n\"}\r\n")
            let (search, _) = try await server.exchange(ServerTests.get("/v1.41/images/search?term=busybox&limit=5"))
            #expect(search.statusLine == "HTTP/1.1 500 Internal Server Error")
            #expect(server.engine.calls == [
                "commit(cap_main, repo: docker.io/library/cap-committed, tag: v1, pause: false, "
                    + "changes: [\"CMD [\\\"/bin/sh\\\"]\"])",
                "changes(cap_main)", "history(bb:latest)", "export(cap_main)", "save([\"a\", \"b:v1\"])",
                "load(quiet: true, bytes: 2)", "search(busybox)",
            ])
        }
    }
}
