import Foundation
import SpliceClient
import Synchronization

/// One simulated host's `spliced`: started in the host's namespace with its own state directory and socket,
/// and driven through SpliceClient's docker-style commands.
struct HostEngine {
    /// The host's recorded state.
    var host: LabState.Host

    /// The spliced binary: `$SPLICED_BIN`, else beside this executable, else on PATH.
    static var splicedBinary: String { sibling("spliced", environment: "SPLICED_BIN") }

    /// A tool shipped beside this executable (`spliced`, `pipework`), or the name for PATH.
    static func sibling(_ name: String, environment: String) -> String {
        if let path = ProcessInfo.processInfo.environment[environment], !path.isEmpty { return path }
        let here = (Bundle.main.executablePath.map { ($0 as NSString).deletingLastPathComponent }) ?? "."
        let beside = here + "/" + name
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : name
    }

    /// Runs a splice command against the host's daemon; returns its status and output.
    func splice(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let out = Mutex<[UInt8]>([])
        let err = Mutex<[UInt8]>([])
        let console = Console(
            stdout: { bytes in out.withLock { $0 += bytes } },
            stderr: { bytes in err.withLock { $0 += bytes } })
        let client = DockerClient(endpoint: .unix(path: host.socket))
        var context = CommandContext(client: client, console: console)
        context.terminalFD = nil
        context.stdinFD = -1
        let status = SpliceCLI.run(arguments[0], Array(arguments.dropFirst()), context: context)
        return (
            status, String(decoding: out.withLock { $0 }, as: UTF8.self),
            String(decoding: err.withLock { $0 }, as: UTF8.self)
        )
    }

    /// Runs a splice command and throws when it fails.
    @discardableResult
    func checked(_ arguments: [String], step: String) throws(LabError) -> String {
        let result = splice(arguments)
        guard result.status == 0 else {
            throw .engine(
                host: host.name, step: step, status: result.status,
                output: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.stdout
    }

    /// Whether the recorded spliced is alive and answers.
    var isAnswering: Bool { isAlive && splice(["info", "--format", "{{.ID}}"]).status == 0 }

    /// Waits (five seconds at most) while the recorded spliced runs but does not answer yet (it is starting).
    func awaitAnswer() {
        var tries = 0
        while tries < 100, isAlive, !isAnswering {
            usleep(50_000)
            tries += 1
        }
    }

    /// The recorded PID, or the one in spliced's pid file when the recorded one is not alive (an `up` killed
    /// between starting spliced and writing the state).
    mutating func adoptPidFile() {
        guard !isAlive, let pid = LabProcess.pid(inFile: host.directory + "/spliced.pid"),
            LabProcess.isRunning(pid, commandLineContains: host.socket)
        else { return }
        host.pid = pid
    }

    /// Whether the recorded PID is a spliced serving this host's socket.
    var isAlive: Bool { LabProcess.isRunning(host.pid, commandLineContains: host.socket) }

    /// Starts spliced in the host's namespace (detached in its own session) and waits for its socket;
    /// returns its PID (from its pid file).
    func start() throws(LabError) -> Int32 {
        let directory = host.directory
        let pidFile = directory + "/spliced.pid"
        try? FileManager.default.removeItem(atPath: pidFile)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let command = [
            "/usr/bin/setsid", "-f", "/usr/bin/nsenter", "--net=/run/netns/\(host.namespace)",
            Self.splicedBinary, "-H", "unix://\(host.socket)", "-g", directory + "/graph", "-p", pidFile,
        ] + clusterArguments
        let log = directory + "/spliced.log"
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        try Shell.checked(["/bin/sh", "-c", "\(quoted) </dev/null >>'\(log)' 2>&1"])
        var pid: Int32 = 0
        for _ in 0..<400 {
            if pid == 0, let value = LabProcess.pid(inFile: pidFile) { pid = value }
            if pid > 0 {
                var probe = self
                probe.host.pid = pid
                if probe.splice(["info", "--format", "{{.ID}}"]).status == 0 { return pid }
                if kill(pid, 0) != 0 { break }
            }
            usleep(25_000)
        }
        let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
        throw .engine(host: host.name, step: "starting spliced", status: -1, output: tail)
    }

    /// `--cluster-store` (the host's store), `--cluster-advertise eth0` (its uplink) and the lease TTL.
    var clusterArguments: [String] {
        guard let store = host.clusterStore else { return [] }
        var arguments = ["--cluster-store", store, "--cluster-advertise", "eth0"]
        if let ttl = host.leaseTTL { arguments += ["--cluster-store-opt", "lease.ttl=\(ttl)"] }
        return arguments
    }

    /// Stops the recorded spliced: SIGTERM, then SIGKILL after five seconds.
    func stop() {
        guard isAlive else { return }
        kill(host.pid, SIGTERM)
        for _ in 0..<100 {
            if kill(host.pid, 0) != 0 { return }
            usleep(50_000)
        }
        kill(host.pid, SIGKILL)
        for _ in 0..<40 where kill(host.pid, 0) == 0 { usleep(25_000) }
    }

    /// `splice inspect NAME` decoded, or nil when there is no such container.
    func inspect(_ name: String) -> [String: Any]? {
        let result = splice(["inspect", "--type", "container", name])
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
            let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return nil }
        return list.first
    }

    /// The PID of a running container, or nil.
    func pid(of name: String) -> Int32? { inspect(name).flatMap(Self.runningPid) }

    /// The PID in a container's decoded inspect when it runs, or nil.
    static func runningPid(in inspect: [String: Any]) -> Int32? {
        guard let state = inspect["State"] as? [String: Any], state["Running"] as? Bool == true,
            let pid = state["Pid"] as? Int, pid > 0
        else { return nil }
        return Int32(pid)
    }
}
