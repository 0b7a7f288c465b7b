import Foundation
import Testing

@testable import NetLab

/// Which checks of a lab file are tried at once: looks together, steps and throughput alone, and a check with
/// `within` a wait that what follows does not overtake.
@Suite struct LabCheckBatchTests {
    func batches(_ tests: String) throws -> [Range<Int>] {
        let lab = try LabFile.parse("""
            name: t
            nodes:
              a: {image: busybox}
              b: {image: busybox}
            tests:
            \(tests)
            """)
        return LabChecks.batches(lab.tests)
    }

    @Test func looksGoTogetherAndStepsAlone() throws {
        let found = try batches("""
              - reach: {from: a, to: b}
              - dns: {from: a, name: b}
              - tcp: {from: a, to: b, port: 80}
              - steps: [{wait: 1}]
              - no-reach: {from: a, to: b}
              - reach: {from: b, to: a}
            """)
        #expect(found == [0..<3, 3..<4, 4..<6])
    }

    @Test func aCheckWithWithinIsAWaitTheNextCheckDoesNotOvertake() throws {
        // The overlay lab's sequence: the FDB entry's removal is awaited, and only then is the ping expected to
        // fail (tried beside the wait, it ran while the entry was still there and failed the lab).
        let found = try batches("""
              - reach: {from: a, to: b}
              - fdb: {host: h1, node: b, absent: true}
                within: 20
              - no-reach: {from: a, to: b, count: 1}
              - reach: {from: b, to: a}
            """)
        #expect(found == [0..<2, 2..<4])
        let lab = try LabFile.parse("name: t\nnodes: {a: {image: busybox}}\ntests:\n  - reach: {from: a, to: a}\n"
                                    + "    within: 3\n  - reach: {from: a, to: a}\n")
        #expect(lab.tests.map(\.waits) == [true, false])
        #expect(lab.tests.map(\.budget) == [3, 10])
    }
}
