import Foundation
import SystemKit

/// Runs the file's `tests` against a lab that is up: each check retries within its budget and prints one line
/// with what it saw; steps change the lab between checks.
public struct LabChecks: Sendable {
    /// The lab file.
    public let lab: LabFile
    /// Its state.
    public var state: LabState
    /// Where result lines go.
    public let log: @Sendable (String) -> Void

    /// Prepares to run `lab`'s tests against `state`.
    public init(lab: LabFile, state: LabState, log: @escaping @Sendable (String) -> Void) {
        self.lab = lab
        self.state = state
        self.log = log
    }

    /// The outcome of one check attempt.
    enum Outcome: Sendable {
        case pass(String)
        case fail(String)
        case skip(String)
    }

    /// How many checks of a run of independent ones are tried at once.
    static let width = 8

    /// Runs every check; returns (passed, failed, skipped), in the order `batches` gives.
    public mutating func run() -> (passed: Int, failed: Int, skipped: Int) {
        var passed = 0
        var failed = 0
        var skipped = 0
        let checks = lab.tests
        for batch in Self.batches(checks) {
            let outcomes: [Outcome]
            if batch.count == 1, case .steps(let steps) = checks[batch.lowerBound].kind {
                outcomes = [runSteps(steps)]
            } else {
                let checker = self
                outcomes = Concurrently.map(Array(checks[batch]), width: Self.width) { checker.retry($0) }
            }
            for (check, outcome) in zip(checks[batch], outcomes) {
                let label = Self.label(check.kind)
                switch outcome {
                case .pass(let seen):
                    passed += 1
                    log("ok    \(label): \(seen)")
                case .fail(let seen):
                    failed += 1
                    log("FAIL  \(label) (line \(check.line)): \(seen)")
                case .skip(let reason):
                    skipped += 1
                    log("skip  \(label): \(reason)")
                }
            }
        }
        return (passed, failed, skipped)
    }

    /// The checks split into what is tried at once: consecutive checks that only look (reach, tcp, http, dns,
    /// route, fdb) go together and are reported in file order; steps and throughput go alone. A check with
    /// `within` ends its batch: it waits for the lab to get somewhere, and what follows assumes it got there (a
    /// `no-reach` after an FDB entry's removal, say).
    static func batches(_ checks: [CheckSpec]) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var next = 0
        while next < checks.count {
            var end = next + 1
            while onlyLooks(checks[next].kind), !checks[end - 1].waits, end < checks.count,
                  onlyLooks(checks[end].kind)
            {
                end += 1
            }
            batches.append(next..<end)
            next = end
        }
        return batches
    }

    /// Whether a check only observes the lab (and may run beside others of its kind).
    static func onlyLooks(_ kind: CheckSpec.Kind) -> Bool {
        switch kind {
        case .reach, .tcp, .http, .dns, .route, .fdb: true
        case .throughput, .steps: false
        }
    }

    func retry(_ check: CheckSpec) -> Outcome {
        let deadline = Date().addingTimeInterval(check.budget)
        while true {
            let outcome = attempt(check.kind)
            if case .fail = outcome, Date() < deadline {
                usleep(300_000)
                continue
            }
            return outcome
        }
    }

    static func label(_ kind: CheckSpec.Kind) -> String {
        switch kind {
        case .reach(let from, let to, let count, let size, let df, let expect):
            "\(expect ? "reach" : "no-reach") \(from) -> \(to)" + (size.map { " size \($0)" } ?? "")
                + (df ? " DF" : "") + " x\(count)"
        case .tcp(let from, let to, let port, let expect): "\(expect ? "tcp" : "no-tcp") \(from) -> \(to):\(port)"
        case .http(let from, let to, let port, let path, _): "http \(from) -> \(to):\(port)\(path)"
        case .dns(let from, let name, _, let expect): "dns \(name) in \(from)" + (expect ? "" : " (absent)")
        case .throughput(let from, let to, _, let floor, let ceiling, _):
            "throughput \(from) -> \(to) >= \(floor)" + (ceiling.map { ", <= \($0)" } ?? "") + " Mbit/s"
        case .route(let host, let destination, _, let expect):
            "route \(destination) on \(host)" + (expect ? "" : " (absent)")
        case .fdb(let host, let mac, let node, let dst, let expect):
            "fdb \(mac ?? node ?? "") on \(host)" + (dst.map { " dst \($0)" } ?? "") + (expect ? "" : " (absent)")
        case .steps(let steps): "steps (\(steps.count))"
        }
    }

    /// The address of `target` as seen from `from`: a literal, a node's address (on a network shared with
    /// `from` when there is one), a host's uplink, or the switch.
    func address(of target: String, from: String) -> String? {
        if IPAddress(target) != nil { return target }
        if target == "underlay" { return state.switchAddress.split(separator: "/").first.map(String.init) }
        if let host = state.host(target) { return host.uplink.split(separator: "/").first.map(String.init) }
        guard let node = state.node(target) else { return nil }
        if let source = state.node(from),
            let shared = node.addresses.keys.sorted().first(where: { source.addresses[$0] != nil })
        {
            return node.addresses[shared]
        }
        return node.addresses.sorted(by: { $0.key < $1.key }).first?.value
    }

    func attempt(_ kind: CheckSpec.Kind) -> Outcome {
        switch kind {
        case .reach(let from, let to, let count, let size, let df, let expect):
            guard let path = LabRunner.namespacePath(of: from, in: state) else {
                return .fail("\(from) is not running")
            }
            guard let address = address(of: to, from: from) else { return .fail("\(to) has no address") }
            var argv = ["ping", "-n", "-q", "-c", "\(count)", "-i", "0.2", "-W", "1"]
            if let size { argv += ["-s", "\(size)"] }
            if df { argv += ["-M", "do"] }
            let result = Shell.run(Shell.inNamespace(path, argv + [address]))
            let summary =
                result.stdout.split(separator: "\n").first { $0.contains("received") }.map(String.init)
                ?? result.message.trimmingCharacters(in: .whitespacesAndNewlines)
            let received = result.status == 0
            let seen = "\(address): \(summary)"
            return received == expect ? .pass(seen) : .fail(seen)
        case .tcp(let from, let to, let port, let expect):
            guard let path = LabRunner.namespacePath(of: from, in: state) else {
                return .fail("\(from) is not running")
            }
            guard let address = address(of: to, from: from) else { return .fail("\(to) has no address") }
            let result = Shell.run(
                Shell.inNamespace(
                    path,
                    [
                        "timeout", "3", "bash", "-c",
                        "exec 3<>/dev/tcp/\(address)/\(port)",
                    ]))
            let seen =
                result.status == 0
                ? "\(address):\(port) accepted the connection"
                : "\(address):\(port): " + (result.message.split(separator: "\n").last.map(String.init) ?? "no answer")
            return (result.status == 0) == expect ? .pass(seen) : .fail(seen)
        case .http(let from, let to, let port, let path, let contains):
            guard let namespace = LabRunner.namespacePath(of: from, in: state) else {
                return .fail("\(from) is not running")
            }
            guard let address = address(of: to, from: from) else { return .fail("\(to) has no address") }
            let url = "http://\(address):\(port)\(path)"
            let result = Shell.run(Shell.inNamespace(namespace, ["curl", "-s", "-m", "3", url]))
            let body = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard result.status == 0 else { return .fail("\(url): curl exit \(result.status)") }
            let seen =
                "\(url) answered \(body.count) bytes"
                + (contains.isEmpty ? "" : ", body \(body.contains(contains) ? "contains" : "lacks") '\(contains)'")
            return body.contains(contains) ? .pass(seen) : .fail(seen + ": " + String(body.prefix(80)))
        case .dns(let from, let name, let expected, let expect):
            guard let node = state.node(from), let host = state.host(node.host) else { return .fail("no node \(from)") }
            let result = HostEngine(host: host).splice(["exec", from, "nslookup", name])
            let answers = result.stdout.split(separator: "\n").drop { !$0.contains("Name:") }
                .filter { $0.hasPrefix("Address") }.compactMap { $0.split(separator: " ").last.map(String.init) }
            let resolved = result.status == 0 && !answers.isEmpty
            let seen = resolved ? "\(name) -> \(answers.joined(separator: ", "))" : "\(name) does not resolve"
            if !expect { return resolved ? .fail(seen) : .pass(seen) }
            guard resolved else { return .fail(seen) }
            if let expected, !answers.contains(address(of: expected, from: from) ?? expected) {
                return .fail(seen + ", expected \(address(of: expected, from: from) ?? expected)")
            }
            return .pass(seen)
        case .throughput(let from, let to, let given, let floor, let ceiling, let seconds):
            guard Shell.has("iperf3") else { return .skip("iperf3 is not installed") }
            guard let source = LabRunner.namespacePath(of: from, in: state),
                let sink = LabRunner.namespacePath(of: to, in: state),
                let address = given ?? address(of: to, from: from)
            else {
                return .fail("\(from) or \(to) is not running")
            }
            // The server serves one test and exits; a pid file lets the check end it if the client never came.
            let pidFile = NSTemporaryDirectory() + "splice-lab-iperf3-\(getpid()).pid"
            defer {
                if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                    let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines).filter(\.isNumber)), pid > 0
                {
                    kill(pid, SIGKILL)
                }
                unlink(pidFile)
            }
            _ = Shell.run(Shell.inNamespace(sink, ["iperf3", "-s", "-1", "-D", "-p", "5299", "-I", pidFile]))
            usleep(300_000)
            let result = Shell.run(
                Shell.inNamespace(
                    source,
                    [
                        "iperf3", "-c", address, "-p", "5299", "-t", "\(seconds)",
                        "-J",
                    ]))
            guard result.status == 0, let data = result.stdout.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let end = json["end"] as? [String: Any], let sum = end["sum_received"] as? [String: Any],
                let bits = sum["bits_per_second"] as? Double
            else { return .fail("iperf3 failed: \(result.message)") }
            let mbps = bits / 1_000_000
            let seen = String(format: "%.1f Mbit/s", mbps)
            return mbps >= floor && mbps <= (ceiling ?? .infinity) ? .pass(seen) : .fail(seen)
        case .route(let host, let destination, let via, let expect):
            guard let record = state.host(host) else { return .fail("no host \(host)") }
            let gateway = via.map { address(of: $0, from: host) ?? $0 }
            var argv = ["ip", "-n", record.namespace, "route", "show", destination]
            var wanted = destination
            if let node = state.node(destination) {
                // A node: the routes that cover its address, the default route aside.
                guard let address = address(of: node.name, from: host) else {
                    return .fail("\(destination) has no address")
                }
                argv = ["ip", "-n", record.namespace, "route", "show", "match", address]
                wanted = "\(destination) (\(address))"
            }
            let result = Shell.run(argv)
            let lines = result.stdout.split(separator: "\n").filter { line in
                (destination == "default" || !line.hasPrefix("default"))
                    && (gateway.map { line.contains("via \($0) ") } ?? true)
            }
            let seen = lines.first.map { $0.trimmingCharacters(in: .whitespaces) }
                ?? "no route to \(wanted)" + (gateway.map { " via \($0)" } ?? "")
            return !lines.isEmpty == expect ? .pass(seen) : .fail(seen)
        case .fdb(let host, let mac, let node, let dst, let expect):
            guard let record = state.host(host) else { return .fail("no host \(host)") }
            let tunnel = dst.map { address(of: $0, from: host) ?? $0 }
            guard let wanted = (mac ?? node.flatMap { state.node($0)?.macs.values.sorted().first })?.lowercased() else {
                return .fail("\(node ?? "") has no MAC address")
            }
            let result = Shell.run(["bridge", "-n", record.namespace, "fdb", "show"])
            let line = result.stdout.split(separator: "\n").first { line in
                line.lowercased().hasPrefix(wanted) && (tunnel.map { line.contains(" dst \($0) ") } ?? true)
            }
            let seen = line.map(String.init) ?? "no entry for \(wanted)" + (tunnel.map { " to dst \($0)" } ?? "")
            return (line != nil) == expect ? .pass(seen) : .fail(seen)
        case .steps(let steps):
            var copy = self
            return copy.runSteps(steps)
        }
    }

    mutating func runSteps(_ steps: [StepSpec]) -> Outcome {
        var done: [String] = []
        for step in steps {
            switch step {
            case .linkDown(let name), .linkUp(let name):
                guard let link = lab.link(named: name) else { return .fail("no link \(name)") }
                let up = if case .linkUp = step { true } else { false }
                do {
                    try LabRunner.setLink(link, up: up, in: state)
                } catch {
                    return .fail("link \(up ? "up" : "down") \(link.name): \(error)")
                }
                done.append("link \(link.name) \(up ? "up" : "down")")
            case .killEngine(let host):
                guard let record = state.host(host), HostEngine(host: record).isAlive else {
                    return .fail("spliced on \(host) is not running")
                }
                kill(record.pid, SIGKILL)
                for _ in 0..<100 where kill(record.pid, 0) == 0 { usleep(20_000) }
                done.append("kill -9 spliced on \(host) (pid \(record.pid))")
            case .startEngine(let host):
                guard let index = state.hosts.firstIndex(where: { $0.name == host }) else {
                    return .fail("no host \(host)")
                }
                do {
                    state.hosts[index].pid = try HostEngine(host: state.hosts[index]).start()
                    try state.save()
                } catch {
                    return .fail("start spliced on \(host): \(error)")
                }
                done.append("spliced on \(host) started (pid \(state.hosts[index].pid))")
            case .leaveHost(let host):
                guard let record = state.host(host), HostEngine(host: record).isAlive else {
                    return .fail("spliced on \(host) is not running")
                }
                switch Self.leave(HostEngine(host: record)) {
                case .success(let seen): done.append(seen)
                case .failure(let error): return .fail("leave \(host): \(error)")
                }
            case .rejoinHost(let host):
                guard let index = state.hosts.firstIndex(where: { $0.name == host }) else {
                    return .fail("no host \(host)")
                }
                guard !HostEngine(host: state.hosts[index]).isAlive else {
                    return .fail(
                        "spliced on \(host) runs (pid \(state.hosts[index].pid)): rejoin-host follows leave-host")
                }
                do {
                    state.hosts[index].pid = try HostEngine(host: state.hosts[index]).start()
                    try state.save()
                } catch {
                    return .fail("rejoin \(host): \(error)")
                }
                done.append("\(host) rejoined: spliced started (pid \(state.hosts[index].pid))")
            case .stopStore(let member), .startStore(let member):
                let start = if case .startStore = step { true } else { false }
                let indices = (state.store ?? []).indices.filter { member == "all" || state.store?[$0].name == member }
                guard !indices.isEmpty else { return .fail("no store member \(member)") }
                var launched: [StoreProcess] = []
                for index in indices {
                    var process = LabRunner.storeProcess(index, in: state)
                    process.adoptPidFile()
                    if start {
                        // Launched together: stopped members of a three-member store are healthy only as a quorum.
                        if process.isAlive { continue }
                        do {
                            try process.launch()
                        } catch {
                            return .fail("start etcd \(process.member.name): \(error)")
                        }
                        launched.append(process)
                    } else {
                        guard process.isAlive else { return .fail("etcd \(process.member.name) is not running") }
                        process.stop()
                        guard !process.isAlive else { return .fail("etcd \(process.member.name) did not stop") }
                        done.append("etcd \(process.member.name) stopped (pid \(process.member.pid))")
                    }
                }
                for process in launched {
                    do {
                        let pid = try process.awaitHealthy()
                        if let index = state.store?.firstIndex(where: { $0.name == process.member.name }) {
                            state.store?[index].pid = pid
                        }
                        try state.save()
                        done.append("etcd \(process.member.name) started (pid \(pid))")
                    } catch {
                        return .fail("start etcd \(process.member.name): \(error)")
                    }
                }
            case .wait(let seconds):
                usleep(UInt32(seconds * 1_000_000))
                done.append("waited \(seconds) s")
            case .hostExec(let host, let command):
                guard let record = state.host(host) else { return .fail("no host \(host)") }
                let result = LabRunner.hostShell(record, command)
                guard result.status == 0 else {
                    return .fail("\(host): \(command): exit \(result.status) \(result.message)")
                }
                done.append("\(host): \(command)")
            case .nodeExec(let node, let command):
                guard let record = state.node(node), let host = state.host(record.host) else {
                    return .fail("no node \(node)")
                }
                let result = HostEngine(host: host).splice(["exec", node, "sh", "-c", command])
                guard result.status == 0 else {
                    return .fail("\(node): \(command): exit \(result.status) \(result.stderr)")
                }
                done.append("\(node): \(command)")
            }
        }
        return .pass(done.joined(separator: "; "))
    }

    /// A graceful leave: the lease the store keeps the host under is read, spliced is stopped by SIGTERM (ten
    /// seconds to exit), and then the lease is revoked, so the host's record and endpoints leave the store at once
    /// rather than when the lease expires. Revoking after the stop keeps spliced's keep-alive from registering the
    /// host again; a lease spliced released itself on the way out counts as revoked.
    static func leave(_ engine: HostEngine) -> Result<String, LabError> {
        let pid = engine.host.pid
        let lease: String?
        do {
            lease = try engine.storeLease()
        } catch {
            return .failure(error)
        }
        kill(pid, SIGTERM)
        for _ in 0..<200 where kill(pid, 0) == 0 { usleep(50_000) }
        guard kill(pid, 0) != 0 else {
            return .failure(.engine(host: engine.host.name, step: "leave", status: 1,
                                    output: "spliced (pid \(pid)) still runs 10 s after SIGTERM"))
        }
        var seen = "\(engine.host.name) left: spliced stopped by SIGTERM (pid \(pid))"
        guard let lease else { return .success(seen + ", no record of it in the store") }
        do {
            seen += try engine.revokeLease(lease)
                ? ", lease \(lease) revoked" : ", lease \(lease) already released by spliced"
        } catch {
            return .failure(error)
        }
        return .success(seen)
    }
}
