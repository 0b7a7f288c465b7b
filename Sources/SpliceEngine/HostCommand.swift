import CLinuxShims
import Glibc

/// Runs a host program (such as `ps` for `docker top`) and collects its output. Blocking: call it through
/// `BlockingWork.run`.
enum HostCommand {
    /// What a finished program left.
    struct Result: Sendable {
        /// The exit status (128+N when signal N killed it).
        var status: Int32
        /// Its standard output.
        var stdout: [UInt8]
        /// Its standard error.
        var stderr: [UInt8]
    }

    /// The first of `candidates` that is executable.
    static func locate(_ candidates: [String]) -> String? {
        candidates.first { access($0, X_OK) == 0 }
    }

    /// Runs `path` with `arguments`, stdin `/dev/null`, and an empty environment apart from `PATH` and the
    /// `NAME=value` entries of `environment`.
    static func run(_ path: String, arguments: [String], environment: [String] = []) throws(EngineHostError) -> Result {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard cls_pipe_cloexec(&outPipe) == 0 else { throw EngineHostError("pipe2", errno) }
        guard cls_pipe_cloexec(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw EngineHostError("pipe2", errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + environment)
            .map { strdup($0) } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, variables)
        close(outPipe[1])
        close(errPipe[1])
        defer { close(outPipe[0]); close(errPipe[0]) }
        guard spawned == 0 else { throw EngineHostError("posix_spawn \(path)", spawned) }
        // ps output is small; reading stdout to EOF first cannot dead-lock on a full stderr pipe in practice,
        // but stderr is drained on the same loop anyway.
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var open = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if entry.fd == outPipe[0] { output += buffer[0..<count] } else { errors += buffer[0..<count] }
                } else if count == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signalled = status & 0x7f
        let code = signalled == 0 ? (status >> 8) & 0xff : 128 + signalled
        return Result(status: code, stdout: output, stderr: errors)
    }
}

/// A failed system call while running a host program.
struct EngineHostError: Error, CustomStringConvertible {
    /// The operation.
    var operation: String
    /// The errno value.
    var code: Int32

    /// Creates the error.
    init(_ operation: String, _ code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// `operation: strerror`.
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
