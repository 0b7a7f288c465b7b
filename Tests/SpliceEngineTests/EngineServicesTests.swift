import Foundation
import Testing
@testable import SpliceEngine
import struct DockerModels.DetachKeys
import struct EngineErrors.EngineError
import struct DockerModels.EventMessage

/// Detach keys, event filters and the event log, the restart back-off, log time windows, `top` parsing: the
/// engine's service logic without root.
@Suite("Engine services (hermetic)")
struct EngineServicesTests {
    // MARK: detach keys

    @Test func detachKeysParseDockerSyntax() throws {
        #expect(try DetachKeys(parsing: nil) == .standard)
        #expect(try DetachKeys(parsing: "").bytes == [16, 17])
        #expect(try DetachKeys(parsing: "ctrl-p,ctrl-q").bytes == [16, 17])
        #expect(try DetachKeys(parsing: "a").bytes == [UInt8(ascii: "a")])
        #expect(try DetachKeys(parsing: "ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_").bytes == [0, 27, 28, 29, 30, 31])
        #expect(try DetachKeys(parsing: "CTRL-A,x").bytes == [1, UInt8(ascii: "x")])
        #expect(throws: EngineError.self) { try DetachKeys(parsing: "ctrl-1") }
        #expect(throws: EngineError.self) { try DetachKeys(parsing: "shift-a") }
    }

    @Test func detachKeysMatchAcrossChunks() {
        var matcher = DetachKeys.Matcher(.standard)
        let first = matcher.feed(Array("ab".utf8) + [16])
        #expect(first.forward == Array("ab".utf8))
        #expect(!first.detached)
        let second = matcher.feed([17, UInt8(ascii: "z")])
        #expect(second.forward.isEmpty)
        #expect(second.detached)
    }

    @Test func partialMatchIsForwardedOnceItStopsMatching() {
        var matcher = DetachKeys.Matcher(.standard)
        #expect(matcher.feed([16]).forward.isEmpty)
        let next = matcher.feed(Array("x".utf8))
        #expect(next.forward == [16, UInt8(ascii: "x")])
        #expect(!next.detached)
        // A held prefix followed by a new start of the sequence: the first is forwarded, the second still held.
        #expect(matcher.feed([16]).forward.isEmpty)
        #expect(matcher.feed([16]).forward == [16])
        #expect(matcher.feed([17]).detached)
    }

    @Test func overlappingSequenceIsFound() throws {
        var matcher = DetachKeys.Matcher(try DetachKeys(parsing: "a,a,b"))
        let result = matcher.feed(Array("xaaab".utf8))
        #expect(result.forward == Array("xa".utf8))
        #expect(result.detached)
    }

    // MARK: events

    static func event(_ action: String, type: String = "container", id: String = "abc123",
                      attributes: [String: String] = ["name": "web", "image": "bb"], at nanos: Int64 = 1)
        -> EventMessage
    {
        EventMessage(type: type, action: action, actor: .init(ID: id, Attributes: attributes), timeNano: nanos)
    }

    @Test func eventFiltersMatchAsDockerd() {
        let start = Self.event("start")
        #expect(EventFilter().matches(start))
        #expect(EventFilter(["event": ["start", "die"]]).matches(start))
        #expect(!EventFilter(["event": ["die"]]).matches(start))
        #expect(EventFilter(["event": ["exec_start"]]).matches(Self.event("exec_start: sh -c true")))
        #expect(EventFilter(["container": ["web"]]).matches(start))
        #expect(EventFilter(["container": ["abc"]]).matches(start))
        #expect(!EventFilter(["container": ["other"]]).matches(start))
        #expect(EventFilter(["type": ["container"]]).matches(start))
        #expect(!EventFilter(["type": ["network"]]).matches(start))
        #expect(EventFilter(["image": ["bb:latest"]]).matches(start))
        #expect(!EventFilter(["image": ["alpine"]]).matches(start))
        let labelled = Self.event("start", attributes: ["name": "web", "image": "bb", "tier": "front"])
        #expect(EventFilter(["label": ["tier"]]).matches(labelled))
        #expect(EventFilter(["label": ["tier=front"]]).matches(labelled))
        #expect(!EventFilter(["label": ["tier=back"]]).matches(labelled))
        #expect(EventFilter(["container": ["web"], "event": ["start"]]).matches(start))
        #expect(!EventFilter(["container": ["web"], "event": ["stop"]]).matches(start))
        let connect = Self.event("connect", type: "network", id: "splice0",
                                 attributes: ["container": "abc123", "name": "bridge", "type": "bridge"])
        #expect(EventFilter(["container": ["abc123"]]).matches(connect))
        #expect(EventFilter(["type": ["network"], "network": ["bridge"]]).matches(connect))
    }

    @Test func eventLogKeepsTheLastThousandAndReplaysAWindow() async throws {
        let log = EventLog()
        for index in 1...1_005 { log.record(Self.event("start", at: Int64(index) * 1_000_000_000)) }
        let all = log.replay(since: nil, until: nil, filter: EventFilter())
        #expect(all.count == 1_000)
        #expect(all.first?.time == 6)
        let window = log.replay(since: 10_000_000_000, until: 12_000_000_000, filter: EventFilter())
        #expect(window.map(\.time) == [10, 11, 12])
        // `until` in the past: the stream replays and ends.
        let stream = try log.subscribe(since: "10", until: "12.5", filter: EventFilter())
        var times: [Int64] = []
        for try await event in stream { times.append(event.time) }
        #expect(times == [10, 11, 12])
    }

    @Test func liveEventsReachSubscribersThroughTheirFilter() async throws {
        let log = EventLog()
        let stream = try log.subscribe(since: nil, until: nil, filter: EventFilter(["event": ["die"]]))
        log.record(Self.event("start", at: APITime.now()))
        log.record(Self.event("die", attributes: ["exitCode": "3"], at: APITime.now()))
        var iterator = stream.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.Action == "die")
        #expect(first?.Actor.Attributes["exitCode"] == "3")
        #expect(first?.status == "die" && first?.id == "abc123")
    }

    @Test func badEventTimesAreRejected() {
        #expect(throws: EngineError.self) {
            try EventLog().subscribe(since: "yesterday", until: nil, filter: EventFilter())
        }
    }

    // MARK: restart back-off

    @Test func backoffDoublesUpToAMinuteAndResetsAfterTenSeconds() {
        var backoff = RestartBackoff()
        let policy = RestartPolicy(name: .always)
        var delays: [Duration] = []
        for count in 0..<12 {
            delays.append(backoff.next(policy: policy, exitCode: 0, restartCount: count, ranFor: .seconds(1),
                                       stoppedByUser: false, autoRemove: false) ?? .zero)
        }
        #expect(delays.prefix(4) == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        #expect(delays[9] == .milliseconds(51_200))
        #expect(delays[10] == .seconds(60) && delays[11] == .seconds(60))
        let reset = backoff.next(policy: policy, exitCode: 0, restartCount: 12, ranFor: .seconds(10),
                                 stoppedByUser: false, autoRemove: false)
        #expect(reset == .milliseconds(100))
    }

    @Test func policiesDecideWhetherToRestart() {
        func decide(_ policy: RestartPolicy, exit: Int32, count: Int = 0, user: Bool = false, rm: Bool = false)
            -> Bool
        {
            var backoff = RestartBackoff()
            return backoff.next(policy: policy, exitCode: exit, restartCount: count, ranFor: .zero,
                                stoppedByUser: user, autoRemove: rm) != nil
        }
        #expect(!decide(RestartPolicy(), exit: 1))
        #expect(decide(RestartPolicy(name: .always), exit: 0))
        #expect(!decide(RestartPolicy(name: .always), exit: 0, user: true))
        #expect(!decide(RestartPolicy(name: .always), exit: 1, rm: true))
        #expect(decide(RestartPolicy(name: .unlessStopped), exit: 0))
        #expect(!decide(RestartPolicy(name: .unlessStopped), exit: 0, user: true))
        #expect(!decide(RestartPolicy(name: .onFailure), exit: 0))
        #expect(decide(RestartPolicy(name: .onFailure), exit: 1, count: 100))
        #expect(decide(RestartPolicy(name: .onFailure, maximumRetryCount: 2), exit: 1, count: 1))
        #expect(!decide(RestartPolicy(name: .onFailure, maximumRetryCount: 2), exit: 1, count: 2))
    }

    // MARK: logs

    @Test func apiTimesParse() {
        #expect(APITime.nanoseconds("1700000000") == 1_700_000_000_000_000_000)
        #expect(APITime.nanoseconds("1700000000.5") == 1_700_000_000_500_000_000)
        #expect(APITime.nanoseconds("1700000000.000000001") == 1_700_000_000_000_000_001)
        #expect(APITime.nanoseconds("2023-11-14T22:13:20.25Z") == 1_700_000_000_250_000_000)
        #expect(APITime.nanoseconds("soon") == nil)
        #expect(APITime.nanoseconds("1.x") == nil)
    }

    @Test func logQueryFiltersByStreamTimeAndTail() {
        let entries = (0..<5).map { index in
            LogEntry(log: "line \(index)\n", stream: index == 3 ? "stderr" : "stdout",
                     time: "2023-11-14T22:13:2\(index).000000000Z")
        }
        var query = LogQuery()
        query.since = APITime.nanoseconds("1700000001")
        query.until = APITime.nanoseconds("1700000003.5")
        #expect(query.select(entries).map(\.log) == ["line 1\n", "line 2\n", "line 3\n"])
        query.stderr = false
        #expect(query.select(entries).map(\.log) == ["line 1\n", "line 2\n"])
        query.tail = 1
        #expect(query.select(entries).map(\.log) == ["line 2\n"])
        var all = LogQuery()
        all.tail = 0
        #expect(all.select(entries).isEmpty)
    }

    // MARK: top

    @Test func topKeepsTheContainersRowsAndMergesTheCommand() throws {
        let output = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 10:00 ?        00:00:01 /sbin/init
            root        4242    4240  0 10:01 ?        00:00:00 sleep 1000
            root        4243    4242  0 10:01 ?        00:00:00 sh -c echo hi there
            root        9999       1  0 10:01 ?        00:00:00 other
            """
        let table = try ContainerTop.parse(output, pids: [4242, 4243])
        #expect(table.titles == ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
        #expect(table.processes.count == 2)
        #expect(table.processes[0][1] == "4242" && table.processes[0].last == "sleep 1000")
        #expect(table.processes[1].last == "sh -c echo hi there")
        #expect(throws: EngineError.self) { try ContainerTop.parse("USER COMMAND\nroot x\n", pids: [1]) }
    }

    // MARK: state

    @Test func oldRecordsDecodeWithTheNewStateFields() throws {
        let json = #"{"status":"exited","pid":0,"monitorPid":0,"exitCode":3,"error":"","startedAtSeconds":1,"#
            + #""finishedAtSeconds":2}"#
        let state = try JSONDecoder().decode(ContainerState.self, from: Data(json.utf8))
        #expect(state.status == .exited && state.exitCode == 3)
        #expect(state.restartCount == 0 && !state.stoppedByUser)
        var paused = ContainerState()
        paused.status = .paused
        #expect(paused.isRunning && paused.isListed)
        paused.status = .restarting
        #expect(!paused.isRunning && paused.isListed)
    }
}
