import Dispatch
import Foundation
import FuzzTargets
import Testing

/// Replays every committed corpus input (`fuzz/corpus/TARGET/`) through its parser, so what the fuzzers found once
/// stays fixed: a trap would end this test process. Each target must have a corpus.
@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

    @Test("every corpus input of every target parses or is refused, without a trap",
          arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) async throws {
        let directory = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "fuzz/corpus/\(target.rawValue) has seeds")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            // Off the cooperative pool: the `http` target blocks its thread until the router has answered.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    target.run(bytes)
                    done.resume()
                }
            }
        }
    }
}
