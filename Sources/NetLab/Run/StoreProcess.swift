import Foundation

/// One etcd member of a lab's store: started in its own namespace (detached in its own session, its PID in a
/// pid file beside its data), judged alive by PID and command line, stopped by PID.
struct StoreProcess {
    /// The member's recorded state.
    var member: LabState.StoreMember
    /// Every member's name and peer URL, for `--initial-cluster`.
    var cluster: [(name: String, peerURL: String)]
    /// The `--initial-cluster-token` every member of the store shares.
    var token: String

    /// The etcd binary (Debian's etcd-server).
    static let binary = "/usr/bin/etcd"

    /// The pid file the start script writes.
    var pidFile: String { member.directory + "/etcd.pid" }

    /// Whether the recorded PID is an etcd serving this member's data directory.
    var isAlive: Bool { LabProcess.isRunning(member.pid, commandLineContains: member.dataDirectory) }

    /// The PID in the pid file when the recorded one is not alive (an `up` killed after starting etcd).
    mutating func adoptPidFile() {
        guard !isAlive, let pid = LabProcess.pid(inFile: pidFile),
            LabProcess.isRunning(pid, commandLineContains: member.dataDirectory)
        else { return }
        member.pid = pid
    }

    /// Whether the member answers `/health` with a healthy status.
    var isHealthy: Bool {
        let result = Shell.run(
            Shell.inNamespace(
                "/run/netns/\(member.namespace)", ["curl", "-s", "-m", "1", member.clientURL + "/health"]))
        return result.status == 0 && result.stdout.contains("\"true\"")
    }

    /// Starts etcd (its data directory is kept, so a restart rejoins with its data) and waits until it is
    /// healthy; returns its PID.
    func start() throws(LabError) -> Int32 {
        try launch()
        return try awaitHealthy()
    }

    /// Starts etcd detached, without waiting: the members of a new store are launched together, since none is
    /// healthy before a quorum of them runs.
    func launch() throws(LabError) {
        try? FileManager.default.createDirectory(atPath: member.directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: pidFile)
        let command = [
            "/usr/bin/nsenter", "--net=/run/netns/\(member.namespace)", Self.binary, "--name", member.name,
            "--data-dir", member.dataDirectory, "--listen-client-urls", member.clientURL,
            "--advertise-client-urls", member.clientURL, "--listen-peer-urls", member.peerURL,
            "--initial-advertise-peer-urls", member.peerURL,
            "--initial-cluster", cluster.map { "\($0.name)=\($0.peerURL)" }.joined(separator: ","),
            "--initial-cluster-token", token,
        ]
        let log = member.directory + "/etcd.log"
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = "echo $$ > '\(pidFile)'; exec \(quoted) </dev/null >>'\(log)' 2>&1"
        try Shell.checked(["/usr/bin/setsid", "-f", "/bin/sh", "-c", script])
    }

    /// Waits (ten seconds at most) until the launched etcd answers healthy; returns its PID.
    func awaitHealthy() throws(LabError) -> Int32 {
        let log = member.directory + "/etcd.log"
        var probe = self
        probe.member.pid = 0
        for _ in 0..<500 {
            if probe.member.pid == 0, let value = LabProcess.pid(inFile: pidFile) { probe.member.pid = value }
            if probe.member.pid > 0 {
                if probe.isAlive, probe.isHealthy { return probe.member.pid }
                if kill(probe.member.pid, 0) != 0 { break }
            }
            usleep(20_000)
        }
        let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
        throw .engine(host: member.name, step: "starting etcd", status: -1, output: tail)
    }

    /// Stops the recorded etcd: SIGTERM, then SIGKILL after five seconds; waits until it is gone.
    func stop() {
        guard isAlive else { return }
        kill(member.pid, SIGTERM)
        for _ in 0..<100 {
            if kill(member.pid, 0) != 0 { return }
            usleep(50_000)
        }
        kill(member.pid, SIGKILL)
        for _ in 0..<40 where kill(member.pid, 0) == 0 { usleep(25_000) }
    }
}
