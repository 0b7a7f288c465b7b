import SpliceImages
import Testing

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("bb", "bb:latest", "bb", "docker.io/library/bb"),
        ("bb:1.36", "bb:1.36", "bb", "docker.io/library/bb"),
        ("docker.io/library/bb", "bb:latest", "bb", "docker.io/library/bb"),
        ("docker.io/library/bb:v1", "bb:v1", "bb", "docker.io/library/bb"),
        ("library/bb", "bb:latest", "bb", "docker.io/library/bb"),
        ("index.docker.io/library/bb", "bb:latest", "bb", "docker.io/library/bb"),
        ("docker.io/user/app", "user/app:latest", "user/app", "docker.io/user/app"),
        ("user/app:dev", "user/app:dev", "user/app", "docker.io/user/app"),
        ("127.0.0.1:5000/x:tag", "127.0.0.1:5000/x:tag", "127.0.0.1:5000/x", "127.0.0.1:5000/x"),
        ("127.0.0.1:5000/bb", "127.0.0.1:5000/bb:latest", "127.0.0.1:5000/bb", "127.0.0.1:5000/bb"),
        ("localhost/a/b", "localhost/a/b:latest", "localhost/a/b", "localhost/a/b"),
        (
            "registry.example.com/team/app:1.0", "registry.example.com/team/app:1.0", "registry.example.com/team/app",
            "registry.example.com/team/app"
        ),
        ("cap-imported:v1", "cap-imported:v1", "cap-imported", "docker.io/library/cap-imported"),
        ("a__b.c-d---e", "a__b.c-d---e:latest", "a__b.c-d---e", "docker.io/library/a__b.c-d---e"),
    ])
    func normalises(input: String, familiar: String, repository: String, qualified: String) throws {
        let reference = try ImageReference(parsing: input)
        #expect(reference.description == familiar)
        #expect(reference.repository == repository)
        #expect(reference.qualifiedRepository == qualified)
    }

    @Test func digestReference() throws {
        let hex = String(repeating: "ab", count: 32)
        let reference = try ImageReference(parsing: "127.0.0.1:5000/bb@sha256:\(hex)")
        #expect(reference.tag == nil)
        #expect(reference.digest?.hex == hex)
        #expect(reference.description == "127.0.0.1:5000/bb@sha256:\(hex)")
    }

    @Test(arguments: ["", "Upper", "bb:", "bb:-bad", "a//b", "-a", "a-", "bb@sha256:12", "a..b", ":tag", "bb:t/x"])
    func rejects(input: String) {
        #expect(throws: ImageError.self) { try ImageReference(parsing: input) }
    }

    @Test func uppercaseMessage() {
        #expect(throws: ImageError(.invalidArgument, "invalid reference format: repository name must be lowercase")) {
            try ImageReference(parsing: "docker.io/Upper")
        }
    }
}
