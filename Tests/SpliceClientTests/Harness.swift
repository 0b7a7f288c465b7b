import Foundation
import Synchronization
import APITestSupport
@testable import SpliceClient

/// A console that records stdout and stderr.
final class CapturedConsole: Sendable {
    private let out = Mutex<[UInt8]>([])
    private let err = Mutex<[UInt8]>([])

    var console: Console {
        Console(stdout: { bytes in self.out.withLock { $0 += bytes } }, stderr: { bytes in self.err.withLock { $0 += bytes } })
    }
    var stdout: String { out.withLock { String(decoding: $0, as: UTF8.self) } }
    var stderr: String { err.withLock { String(decoding: $0, as: UTF8.self) } }
}

/// The result of one command run.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

extension TestServer {
    /// A server whose fake answers waits at once and records the exec options the client sends.
    static func start() async throws -> TestServer { try await start(engine: FakeEngine(.client)) }

    /// Runs `splice <arguments>` in-process against this server with a fixed clock.
    func splice(_ arguments: [String], now: Int64 = 1_795_972_565 + 120, stdin: Int32? = nil, terminal: Int32? = nil,
                environment: [String: String] = [:]) async throws -> CommandResult {
        let endpoint = Endpoint.unix(path: socketPath)
        return try await offPool {
            let captured = CapturedConsole()
            var context = CommandContext(client: DockerClient(endpoint: endpoint), console: captured.console, now: { now },
                                         environment: environment)
            // Never the test runner's own stdin or terminal: an empty pipe unless the test passes one.
            context.terminalFD = terminal
            let empty = stdin == nil ? Pipe() : nil
            try? empty?.fileHandleForWriting.close()
            context.stdinFD = stdin ?? empty?.fileHandleForReading.fileDescriptor ?? -1
            let status = withExtendedLifetime(empty) {
                SpliceCLI.run(arguments[0], Array(arguments.dropFirst()), context: context)
            }
            return CommandResult(status: status, stdout: captured.stdout, stderr: captured.stderr)
        }
    }
}
