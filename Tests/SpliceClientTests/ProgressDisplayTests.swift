import DockerModels
import JSONKit
import SpliceClient
import Testing

/// The progress bar dockerd sends and the CLI's rendering of progress streams, checked against the captures
/// (`docker-api-captures/pull-download.txt`, `push-newlayer.txt`).
@Suite struct ProgressDisplayTests {
    @Test func barAsDockerdDrawsIt() {
        #expect(ProgressMessage.bar(current: 32768, total: 300_324)
                    == "[=====>                                             ]  32.77kB/300.3kB")
        #expect(ProgressMessage.bar(current: 300_324, total: 300_324)
                    == "[==================================================>]  300.3kB/300.3kB")
        #expect(ProgressMessage.bar(current: 512, total: nil) == "    512B")
    }

    static func message(_ text: String) throws -> JSONValue { try JSONValue.decode(Array(text.utf8)) }

    @Test func plainOutputKeepsStatusLinesOnly() throws {
        var display = ProgressDisplay(isTerminal: false)
        let lines = [
            #"{"status":"Pulling from cap-dl","id":"v1"}"#,
            #"{"status":"Pulling fs layer","progressDetail":{},"id":"743766055702"}"#,
            #"{"status":"Downloading","progressDetail":{"current":3678,"total":300324},"progress":"[>  ]  3.678kB/300.3kB","id":"743766055702"}"#,
            #"{"status":"Pull complete","progressDetail":{},"id":"743766055702"}"#,
            #"{"status":"Digest: sha256:bbe7"}"#,
        ]
        let text = try lines.map { display.render(try Self.message($0)) }.joined()
        #expect(text == "v1: Pulling from cap-dl\n743766055702: Pulling fs layer\n743766055702: Pull complete\n"
                    + "Digest: sha256:bbe7\n")
    }

    @Test func terminalRedrawsEachLayerInPlace() throws {
        var display = ProgressDisplay(isTerminal: true)
        let first = display.render(try Self.message(#"{"status":"Pulling fs layer","progressDetail":{},"id":"a"}"#))
        let second = display.render(try Self.message(#"{"status":"Pulling fs layer","progressDetail":{},"id":"b"}"#))
        let update = display.render(try Self.message(
            #"{"status":"Downloading","progressDetail":{"current":1,"total":2},"progress":"[=>]","id":"a"}"#))
        // As in the pull-download capture: a new line, up one, the layer's line, down one.
        #expect(first == "\n\u{1B}[1A\u{1B}[2K\ra: Pulling fs layer \r\u{1B}[1B")
        #expect(second == "\n\u{1B}[1A\u{1B}[2K\rb: Pulling fs layer \r\u{1B}[1B")
        // Two lines up to `a`, redrawn, and back down.
        #expect(update == "\u{1B}[2A\u{1B}[2K\ra: Downloading [=>]\r\u{1B}[2B")
    }
}
