#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLinuxShims
import Glibc
import SystemKit

/// Starts containers through `splice-init` and reads what their monitors record.
public enum ContainerRuntime {
    /// Writes `spec` to the state directory, starts `splice-init` (which detaches and becomes the monitor) through
    /// `launcher`'s server or else with `posix_spawn`, and returns once the container's pid 1 has exec'd, or throws
    /// what went wrong. Blocks: call it from a dedicated thread, not a concurrency thread.
    public static func start(_ spec: ContainerSpec, initPath: String, stateDirectory: String,
                             launcher: InitLauncher? = nil) throws -> RunningContainer {
        guard !spec.command.isEmpty else { throw RuntimeError.invalidSpec("empty command") }
        let state = StateDirectory(stateDirectory)
        do {
            try AtomicFile.makeDirectories(stateDirectory)
            try AtomicFile.remove(state.exit)
            try AtomicFile.remove(state.state)
        } catch {
            throw RuntimeError.system(error)
        }
        try ContainerMonitor.write(spec, to: state.spec)

        var fds: [Int32] = [0, 0]
        guard cls_pipe_cloexec(&fds) == 0 else { throw RuntimeError.system(.current("pipe2")) }
        let reader = FileDescriptor(owning: fds[0])
        var status: Int32?
        do {
            defer { close(fds[1]) }
            let launched = try launch(through: launcher, stateDirectory: stateDirectory, initLog: state.initLog,
                                      report: fds[1])
            if !launched {
                let arguments = [stateDirectory, "--report-fd", "\(ContainerMonitor.reportDescriptor)"]
                let pid = try spawn(initPath, arguments: arguments, initLog: state.initLog, report: fds[1])
                var code: Int32 = 0
                while waitpid(pid, &code, 0) < 0 && Errno.current == .interrupted {}
                status = code
            }
        }
        let bytes: [UInt8]
        do {
            bytes = try reader.readAll()
        } catch {
            throw RuntimeError.system(error)
        }
        guard !bytes.isEmpty, let report = try? JSONDecoder().decode(InitReport.self, from: Data(bytes)) else {
            let exit = status.map { "exit status \(cls_wait_status_code($0)); " } ?? ""
            throw RuntimeError.initFailed("no report (\(exit)see \(state.initLog))")
        }
        if let reason = report.startFailure { throw RuntimeError.startFailed(reason) }
        if let error = report.error { throw RuntimeError.initFailed(error) }
        guard let monitorPid = report.monitorPid, let containerPid = report.containerPid else {
            throw RuntimeError.initFailed("incomplete report")
        }
        return RunningContainer(monitorPid: monitorPid, containerPid: containerPid, stateDirectory: stateDirectory)
    }

    /// How the container ended, or nil while it runs (or never started).
    public static func status(stateDirectory: String) -> ContainerExit? {
        guard let bytes = try? AtomicFile.read(StateDirectory(stateDirectory).exit) else { return nil }
        return try? JSONDecoder().decode(ContainerExit.self, from: Data(bytes))
    }

    /// The pids recorded when the container started, for reconciling after a daemon restart.
    public static func running(stateDirectory: String) -> RunningContainer? {
        guard let bytes = try? AtomicFile.read(StateDirectory(stateDirectory).state) else { return nil }
        return try? JSONDecoder().decode(RunningContainer.self, from: Data(bytes))
    }

    /// Hands the start to `launcher`'s server with the init log opened here; false without a launcher or when its
    /// server cannot be reached.
    private static func launch(through launcher: InitLauncher?, stateDirectory: String, initLog: String,
                               report: Int32) throws -> Bool {
        guard let launcher else { return false }
        let log: FileDescriptor
        do {
            log = try FileDescriptor.open(initLog, O_WRONLY | O_CREAT | O_APPEND, mode: 0o600)
        } catch {
            throw RuntimeError.system(error)
        }
        return launcher.launch(stateDirectory: stateDirectory, initLog: log.rawValue, report: report)
    }

    /// `posix_spawn` of `splice-init` (a monitor's, or `InitLauncher`'s server with its socket as `report`) with stdin
    /// `/dev/null`, stdout and stderr appended to `initLog`, `report` as fd 3, and an empty environment.
    static func spawn(_ path: String, arguments: [String], initLog: String, report: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, initLog, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        posix_spawn_file_actions_adddup2(&actions, report, ContainerMonitor.reportDescriptor)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        if result != 0 { throw RuntimeError.system(SystemError("posix_spawn", errno: Errno(rawValue: result), path: path)) }
        return pid
    }
}
