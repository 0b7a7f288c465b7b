import Foundation
import Testing
@testable import SpliceRuntime

/// The monitor writes its records with JSONKit; the engine reads them with `JSONDecoder`.
@Suite("Monitor records")
struct MonitorRecordTests {
    static func readBack<T: MonitorRecord & Decodable>(_ record: T) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(record.jsonBytes))
    }

    @Test("state, exit and report records read back as the engine decodes them, absent optionals left out")
    func roundTrips() throws {
        let running = RunningContainer(monitorPid: 41, containerPid: 42, stateDirectory: "/run/s/\"a b\"\\c")
        #expect(try Self.readBack(running) == running)
        for exit in [ContainerExit(exitCode: 0, finishedAt: "2026-12-07T20:00:00.123456789Z"),
                     ContainerExit(statusCode: -9, finishedAt: "2026-12-07T20:00:01Z"),
                     ContainerExit(exitCode: 127, finishedAt: "t", error: "exec: \"nope\": not found\n\u{1}")] {
            #expect(try Self.readBack(exit) == exit)
        }
        var report = InitReport(monitorPid: 7, containerPid: 8)
        #expect(try Self.readBack(report) == report)
        report = InitReport(error: "mount: EINVAL")
        report.startFailure = "no such file or directory"
        #expect(try Self.readBack(report) == report)
        #expect(String(decoding: ContainerExit(exitCode: 3, finishedAt: "t").jsonBytes, as: UTF8.self)
                == #"{"exitCode":3,"finishedAt":"t"}"#)
    }
}
