import Logging
import Testing
@testable import SpliceDaemon

/// The shape of `spliced`'s log lines and its level flags. Hermetic: nothing is started.
@Suite("spliced's log lines and levels")
struct DaemonLogLineTests {
    @Test("logrus' text format: time, level, quoted message, then the fields by name")
    func lineFormat() {
        let line = DaemonLogHandler.line(
            level: .error, message: "Handler for GET /v1.41/x returned error: \"boom\"",
            fields: ["status": "500", "cause": "open /x: No such file"], time: "2026-12-06T15:22:45.1Z")
        #expect(line == #"time="2026-12-06T15:22:45.1Z" level=error "#
            + #"msg="Handler for GET /v1.41/x returned error: \"boom\"" cause="open /x: No such file" status=500"#
            + "\n")
    }

    @Test("levels are written with dockerd's names")
    func levelNames() {
        let names = [Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical]
            .map(DaemonLogHandler.name(of:))
        #expect(names == ["debug", "debug", "info", "info", "warning", "error", "fatal"])
    }

    @Test("-l/--log-level takes dockerd's names; -D wins over it")
    func levelFlags() throws {
        #expect(try DaemonOptions.parse([]).logLevel == .info)
        #expect(try DaemonOptions.parse(["--log-level", "warn"]).logLevel == .warning)
        #expect(try DaemonOptions.parse(["-l", "fatal"]).logLevel == .critical)
        #expect(try DaemonOptions.parse(["--log-level=error", "-D"]).logLevel == .debug)
        #expect(throws: DaemonError("unable to parse logging level: loud")) {
            try DaemonOptions.parse(["--log-level=loud"])
        }
    }
}
