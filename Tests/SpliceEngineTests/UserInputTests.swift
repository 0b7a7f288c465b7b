import SpliceNet
import SpliceRuntime
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError
import struct DockerModels.EventMessage

/// API times and filters from a request: out-of-range values saturate or are refused, never trap.
@Suite("API times and filters from users (hermetic)")
struct UserInputTests {
    @Test func timesBeyondInt64NanosecondsSaturate() {
        #expect(APITime.nanoseconds("99999999999") == Int64.max)
        #expect(APITime.nanoseconds("9223372036.999999999") == Int64.max)
        #expect(APITime.nanoseconds("-9223372037") == Int64.min)
        #expect(APITime.nanoseconds("-9223372036.9") == Int64.min)
        #expect(APITime.nanoseconds("9999-12-31T23:59:59Z") == Int64.max)
        #expect(APITime.nanoseconds("1700000000.5") == 1_700_000_000_500_000_000)
        #expect(APITime.nanoseconds("-1.5") == -1_500_000_000)
        #expect(APITime.nanoseconds("nope") == nil)
        #expect(APITime.nanoseconds("1.x") == nil)
    }

    /// Found while adding the `filters` fuzz target (its seed `99999999999999999999h`): a `POST /containers/prune`
    /// `until` duration past Int64 seconds trapped converting a Double, killing spliced.
    @Test func pruneUntilDurationsBeyondInt64AreRefused() throws {
        #expect(APITime.goDurationSeconds("1h30m") == 5400)
        #expect(APITime.goDurationSeconds("1.5h") == 5400)
        #expect(APITime.goDurationSeconds("99999999999999999999h") == nil)
        #expect(APITime.goDurationSeconds("9223372036854775808s") == nil)
        #expect(APITime.goDurationSeconds("10") == nil)
        #expect(try APITime.untilSeconds("10m", now: 1_700_000_000) == 1_699_999_400)
        #expect(try APITime.untilSeconds("1700000000.9", now: 0) == 1_700_000_000)
        let error = try #require(throws: EngineError.self) {
            try APITime.untilSeconds("99999999999999999999h", now: 1_700_000_000)
        }
        #expect(error.message == "failed to parse value as time or duration: \"99999999999999999999h\"")
    }

    @Test func eventLogTakesFarTimes() throws {
        let log = EventLog()
        _ = try log.subscribe(since: "99999999999", until: "99999999999", filter: EventFilter())
        _ = try log.subscribe(since: "-9223372037", until: "9223372036.999999999", filter: EventFilter())
        #expect(throws: EngineError.self) { try log.subscribe(since: "nope", until: nil, filter: EventFilter()) }
    }

    @Test func emptyLabelFiltersMatchNothing() {
        let labels = ["a": "1", "b": ""]
        #expect(!LabelFilter.matches(labels, ""))
        #expect(!LabelFilter.matches(labels, "="))
        #expect(!LabelFilter.matches(labels, "=1"))
        #expect(LabelFilter.matches(labels, "a"))
        #expect(LabelFilter.matches(labels, "a=1"))
        #expect(LabelFilter.matches(labels, "b="))
        #expect(!LabelFilter.matches(labels, "a=2"))
        let event = EventMessage(type: "container", action: "start", actor: .init(ID: "x", Attributes: labels),
                                 timeNano: 0)
        #expect(!EventFilter(["label": [""]]).matches(event))
    }

    @Test func failedStartsReadAsDockerdReportsThem() {
        #expect(ContainerEngine.startExitCode(#"exec: "nope": executable file not found in $PATH"#) == 127)
        #expect(ContainerEngine.startExitCode("exec: \"/x\": stat /x: no such file or directory") == 127)
        #expect(ContainerEngine.startExitCode(#"exec: "/etc": permission denied"#) == 126)
        #expect(ContainerEngine.startExitCode("network nosuch not found") == 128)
        let network = ContainerEngine.startFailure(NetworkError(.notFound, "network nosuch not found"), shortID: "x")
        #expect(network == EngineError(.notFound, "network nosuch not found"))
        let runtime = ContainerEngine.startFailure(RuntimeError.startFailed(#"exec: "a": permission denied"#),
                                                   shortID: "x")
        #expect(runtime.message == "failed to create task for container: OCI runtime create failed: runc create"
            + #" failed: unable to start container process: exec: "a": permission denied"#)
    }

    @Test func portFilters() {
        #expect(ContainerCreateOptions.portFilter("80", matches: "80/tcp"))
        #expect(ContainerCreateOptions.portFilter("80/tcp", matches: "80/tcp"))
        #expect(!ContainerCreateOptions.portFilter("80/udp", matches: "80/tcp"))
        #expect(ContainerCreateOptions.portFilter("8000-8080", matches: "8079/tcp"))
        #expect(!ContainerCreateOptions.portFilter("8000-8080", matches: "8081/tcp"))
        #expect(!ContainerCreateOptions.portFilter("x", matches: "80/tcp"))
        #expect(!ContainerCreateOptions.portFilter("", matches: "80/tcp"))
    }

    @Test func unknownEventFilterKeysAreRefused() {
        #expect(throws: EngineError(.invalidArgument, "invalid filter 'nope'")) {
            try EventFilter(validating: ["nope": ["1"]])
        }
        #expect((try? EventFilter(validating: ["type": ["container"]])) != nil)
    }
}
