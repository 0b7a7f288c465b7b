#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLinuxShims
import Glibc
import SystemKit

/// The body of `splice-init`: detaches from the engine, starts the container in its namespaces, reports the pids,
/// then stays outside the container as its monitor, writing its output to the json-file log and its exit status
/// to `exit.json`.
public enum ContainerMonitor {
    /// The descriptor `ContainerRuntime.start` passes for the report.
    public static let reportDescriptor: Int32 = 3

    /// Runs `splice-init <state-dir> [<spec-file>|-] [--report-fd N]`; returns the process's exit status.
    public static func main(arguments: [String]) -> Int32 {
        var positional: [String] = []
        var reportFD: Int32?
        var index = 1
        while index < arguments.count {
            if arguments[index] == "--report-fd", index + 1 < arguments.count {
                reportFD = Int32(arguments[index + 1])
                index += 2
            } else {
                positional.append(arguments[index])
                index += 1
            }
        }
        guard let directory = positional.first, positional.count <= 2 else {
            FileHandleWriter.standardError("usage: splice-init <state-dir> [<spec.json>|-] [--report-fd N]\n")
            return 2
        }
        let state = StateDirectory(directory)
        let specPath = positional.count == 2 ? positional[1] : state.spec
        _ = cls_close_from(UInt32((reportFD ?? 2) + 1))
        if let reportFD { _ = fcntl(reportFD, F_SETFD, FD_CLOEXEC) }
        signal(SIGPIPE, SIG_IGN)

        // Detach: the engine reaps this process at once and the monitor is reparented away from it.
        let monitor = cls_fork()
        if monitor < 0 {
            report(InitReport(error: "fork: \(Errno.current)"), to: reportFD)
            return 1
        }
        if monitor > 0 { return 0 }
        _ = setsid()

        do {
            let spec = try readSpec(specPath)
            let running = try start(spec, state: state)
            let pids = RunningContainer(monitorPid: getpid(), containerPid: running.pid, stateDirectory: state.path)
            try write(record: pids, to: state.state)
            report(InitReport(monitorPid: getpid(), containerPid: running.pid), to: reportFD)
            let exit = running.monitor()
            try write(record: exit, to: state.exit)
            return 0
        } catch {
            let message = "\(error)"
            FileHandleWriter.standardError("splice-init: \(message)\n")
            _ = unlink(state.attachSocket)
            let exit = ContainerExit(exitCode: 127, finishedAt: JSONLogLine.now(), error: message)
            try? write(record: exit, to: state.exit)
            var failure = InitReport(error: message)
            if case .startFailed(let reason)? = error as? RuntimeError { failure.startFailure = reason }
            report(failure, to: reportFD)
            return 1
        }
    }

    private static func readSpec(_ path: String) throws -> ContainerSpec {
        let bytes: [UInt8]
        do {
            bytes = path == "-" ? try FileDescriptor(owning: dup(STDIN_FILENO)).readAll() : try FileDescriptor.open(path).readAll()
        } catch {
            throw RuntimeError.system(error)
        }
        return try ContainerSpec.decode(bytes)
    }

    private static func start(_ spec: ContainerSpec, state: StateDirectory) throws -> MonitoredContainer {
        do {
            // Not synced: like every file of the state directory, they belong to this boot's processes.
            try AtomicFile.write(Array(EtcFiles.hostname(spec.hostname).utf8), to: state.hostname, mode: 0o644,
                                 durable: false)
            try AtomicFile.write(Array(EtcFiles.hosts(spec.hosts).utf8), to: state.hosts, mode: 0o644,
                                 durable: false)
            try AtomicFile.write(Array(EtcFiles.resolvConf(spec.dns).utf8), to: state.resolvConf, mode: 0o644,
                                 durable: false)
        } catch {
            throw RuntimeError.system(error)
        }
        // As dockerd's: a remapped container's root owns its /etc/hostname, hosts and resolv.conf.
        if let userNamespace = spec.userNamespace, let uid = userNamespace.uidMappings.first?.hostID,
           let gid = userNamespace.gidMappings.first?.hostID {
            for path in [state.hostname, state.hosts, state.resolvConf] where chown(path, uid, gid) != 0 {
                throw RuntimeError.system(.current("chown", path: path))
            }
        }
        return try MonitoredContainer.launch(spec, state: state)
    }

    /// Writes a file of the state directory (spec, pids, exit status) atomically, without syncing it: what it
    /// describes ends with this boot, and the engine's record of the container is kept on its own.
    static func write(_ value: some Encodable, to path: String) throws {
        try write(bytes: Array(JSONEncoder().encode(value)), to: path)
    }

    /// `write` for the monitor's own records, without `JSONEncoder` (see `MonitorRecord`).
    static func write(record: some MonitorRecord, to path: String) throws {
        try write(bytes: record.jsonBytes, to: path)
    }

    private static func write(bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o644, durable: false)
        } catch {
            throw RuntimeError.system(error)
        }
    }

    private static func report(_ message: InitReport, to fd: Int32?) {
        guard let fd else { return }
        let bytes = message.jsonBytes
        _ = bytes.withUnsafeBytes { cls_write_all(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
