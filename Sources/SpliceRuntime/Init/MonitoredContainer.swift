import CLinuxShims
import Glibc
import SystemKit

/// The monitor's side of a running container: its pid 1 and the read ends of its stdout and stderr.
struct MonitoredContainer {
    let pid: pid_t
    let stdout: FileDescriptor
    let stderr: FileDescriptor
    let log: FileDescriptor

    /// Plans the setup, enters a new pid namespace for children, forks the container's pid 1 and waits until it
    /// has exec'd (the error pipe closes) or reports which step failed.
    static func launch(_ spec: ContainerSpec, state: StateDirectory) throws -> MonitoredContainer {
        do {
            let log = try FileDescriptor.open(spec.logPath ?? state.containerLog, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
            let devNull = try FileDescriptor.open("/dev/null", O_RDONLY)
            let output = try pipe()
            let errors = try pipe()
            var failures = try pipe()
            defer { for fd in [output.write, errors.write, failures.write] where fd >= 0 { close(fd) } }
            var network: FileDescriptor?
            if case .namespace(let path) = spec.network { network = try FileDescriptor.open(path, O_RDONLY) }
            let plan = try ChildPlan(
                spec: spec, state: state, stdio: [devNull.rawValue, output.write, errors.write],
                network: network?.rawValue)
            try retryingInterrupts("unshare") { cls_unshare(Int32(CLS_CLONE_NEWPID)) }
            let pid = withExtendedLifetime((devNull, network)) { () -> pid_t in
                let pid = cls_fork()
                if pid == 0 { ChildProcess.run(plan, errorFD: failures.write) }
                return pid
            }
            if pid < 0 { throw SystemError.current("fork") }
            close(failures.write)
            failures.write = -1
            let bytes = try failures.read.readAll()
            if bytes.count >= 8 {
                let (step, errno) = bytes.withUnsafeBytes { raw in
                    (raw.load(fromByteOffset: 0, as: Int32.self), raw.load(fromByteOffset: 4, as: Int32.self))
                }
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                throw RuntimeError.containerSetup(step: plan.describe(step: step), errno: Errno(rawValue: errno))
            }
            return MonitoredContainer(pid: pid, stdout: output.read, stderr: errors.read, log: log)
        } catch let error as SystemError {
            throw RuntimeError.system(error)
        }
    }

    /// Copies the container's output into the log until both streams end, then reaps pid 1.
    func monitor() -> ContainerExit {
        var streams: [(fd: FileDescriptor, name: String, splitter: LogLineSplitter)] = [
            (stdout, "stdout", LogLineSplitter()), (stderr, "stderr", LogLineSplitter()),
        ]
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while !streams.isEmpty {
            var polls = streams.map { pollfd(fd: $0.fd.rawValue, events: Int16(POLLIN), revents: 0) }
            if poll(&polls, nfds_t(polls.count), -1) < 0 {
                if Errno.current == .interrupted { continue }
                break
            }
            var finished: [Int] = []
            for index in streams.indices where polls[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(streams[index].fd.rawValue, $0.baseAddress, $0.count) }
                if count < 0 && Errno.current == .interrupted { continue }
                if count <= 0 {
                    if let rest = streams[index].splitter.finish() { append(rest, stream: streams[index].name) }
                    finished.append(index)
                    continue
                }
                for record in streams[index].splitter.feed(buffer[0..<count]) {
                    append(record, stream: streams[index].name)
                }
            }
            for index in finished.reversed() { streams.remove(at: index) }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if Errno.current != .interrupted {
                return ContainerExit(exitCode: 255, finishedAt: JSONLogLine.now(), error: "waitpid: \(Errno.current)")
            }
        }
        return ContainerExit(statusCode: cls_wait_status_code(status), finishedAt: JSONLogLine.now())
    }

    private func append(_ record: [UInt8], stream: String) {
        try? log.write(Array(JSONLogLine.encode(record, stream: stream, time: JSONLogLine.now()).utf8))
    }

    /// A pipe whose read end is owned and whose write end the caller closes.
    private static func pipe() throws(SystemError) -> (read: FileDescriptor, write: Int32) {
        var fds: [Int32] = [0, 0]
        try retryingInterrupts("pipe2") { cls_pipe_cloexec(&fds) }
        return (FileDescriptor(owning: fds[0]), fds[1])
    }
}
