import SpliceImages
import Testing

@Suite struct ImageChangeTests {
    @Test func parsesInstructions() throws {
        #expect(try ImageChange(parsing: #"CMD ["/bin/sh","-c","x"]"#) == .cmd(["/bin/sh", "-c", "x"]))
        #expect(try ImageChange(parsing: "cmd echo hi") == .cmd(["/bin/sh", "-c", "echo hi"]))
        #expect(try ImageChange(parsing: "ENV A=1 B='x y'") == .env([("A", "1"), ("B", "x y")]))
        #expect(try ImageChange(parsing: "ENV PATH /usr/bin:/bin") == .env([("PATH", "/usr/bin:/bin")]))
        #expect(try ImageChange(parsing: "EXPOSE 8080 53/UDP") == .expose(["8080/tcp", "53/udp"]))
        #expect(try ImageChange(parsing: #"VOLUME ["/data"]"#) == .volume(["/data"]))
        #expect(try ImageChange(parsing: "VOLUME /a /b") == .volume(["/a", "/b"]))
        #expect(try ImageChange(parsing: "STOPSIGNAL SIGKILL") == .stopSignal("SIGKILL"))
        #expect(try ImageChange(parsing: #"LABEL "x y"=z\ w"#) == .label([("x y", "z w")]))
    }

    @Test func rejectsUnknownAndEmpty() {
        #expect(throws: ImageError(.invalidArgument, "RUN is not a valid change command")) {
            try ImageChange(parsing: "RUN true")
        }
        #expect(throws: ImageError.self) { try ImageChange(parsing: "ENV") }
        #expect(throws: ImageError.self) { try ImageChange(parsing: "ENV =x") }
    }

    @Test func envReplacesSameName() {
        var config = ContainerConfig()
        config.env = ["A=0", "B=1"]
        ImageChange.env([("A", "2")]).apply(to: &config)
        #expect(config.env == ["B=1", "A=2"])
    }
}
