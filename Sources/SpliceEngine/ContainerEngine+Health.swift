import Glibc
import SpliceImages
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Starts the health check loop of running container `id` when it has a check (as dockerd's
    /// `initHealthMonitor`): with `reset` (a start) the health goes back to `starting` with no failing streak, the
    /// log kept; without (an unpause) it carries on. A loop already there is replaced.
    func startHealthMonitor(_ id: String, reset: Bool) {
        withLive(id) { $0.healthMonitor.take() }?.cancel()
        guard var record = records[id], record.state.status == .running,
              let check = record.configuration.request.healthcheck, let command = check.probeCommand else { return }
        if reset || record.state.health == nil {
            var health = record.state.health ?? ContainerHealth()
            health.status = .starting
            health.failingStreak = 0
            record.state.health = health
            saveRecord(record)
        }
        let monitor = Task { [weak self] in
            while !Task.isCancelled {
                guard let interval = await self?.healthInterval(id, check: check) else { return }
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                let result = await self.probeHealth(id, command: command, timeout: check.effectiveTimeout)
                guard !Task.isCancelled else { return }
                await self.recordHealth(id, result, check: check)
            }
        }
        withLive(id) { $0.healthMonitor = monitor }
    }

    /// The wait before container `id`'s next check, as dockerd's monitor picks it: the start interval while the
    /// container is `starting` within its start period, the interval otherwise.
    func healthInterval(_ id: String, check: HealthcheckConfig) -> Duration {
        let interval = Duration.nanoseconds(check.effectiveInterval)
        let period = check.effectiveStartPeriod
        guard period > 0, let record = records[id], record.state.health?.status == .starting,
              let started = record.state.startedAt.flatMap(Timestamp.init(rfc3339:)) else { return interval }
        let now = Timestamp.now()
        let elapsed = (now.seconds - started.seconds) * 1_000_000_000
            + Int64(now.nanoseconds) - Int64(started.nanoseconds)
        return elapsed < period ? .nanoseconds(check.effectiveStartInterval) : interval
    }

    /// Ends the health check loop of container `id` (it stopped or was paused); its health then reads
    /// `unhealthy`, as dockerd's (for compatibility, it says) once a monitor stops.
    func stopHealthMonitor(_ id: String) {
        guard let monitor = withLive(id, { $0.healthMonitor.take() }) else { return }
        monitor.cancel()
        guard var record = records[id], var health = record.state.health, health.status != .unhealthy else { return }
        health.status = .unhealthy
        record.state.health = health
        saveRecord(record)
    }

    /// Folds one check's result into container `id`'s health as dockerd's `handleProbeResult` does: a pass makes it
    /// healthy; a failure counts (unless it is still starting and the check began within the start period) and
    /// makes it unhealthy once the streak reaches the retries. A change is saved and told as `health_status: …`.
    func recordHealth(_ id: String, _ result: ContainerHealth.Result, check: HealthcheckConfig) {
        guard var record = records[id], record.state.isRunning, var health = record.state.health else { return }
        let previous = health.status
        health.append(result)
        if result.exitCode == 0 {
            health.failingStreak = 0
            health.status = .healthy
        } else if !(health.status == .starting && Self.withinStartPeriod(result, record: record, check: check)) {
            health.failingStreak += 1
            if health.failingStreak >= check.effectiveRetries { health.status = .unhealthy }
        }
        record.state.health = health
        guard health.status != previous else {
            records[id] = record
            return
        }
        saveRecord(record)
        emit("health_status: " + health.status.rawValue, record: record)
    }

    /// Whether `result` began within the start period of the container's current run.
    static func withinStartPeriod(_ result: ContainerHealth.Result, record: ContainerRecord,
                                  check: HealthcheckConfig) -> Bool {
        let period = check.effectiveStartPeriod
        guard period > 0, let started = record.state.startedAt.flatMap(Timestamp.init(rfc3339:)),
              let began = Timestamp(rfc3339: result.start) else { return false }
        let elapsed = (began.seconds - started.seconds) * 1_000_000_000
            + Int64(began.nanoseconds) - Int64(started.nanoseconds)
        return elapsed < period
    }

    /// Runs one check of container `id` as an exec (the container's environment, user and security settings; its
    /// `exec_create`, `exec_start` and `exec_die` events): its output (stdout and stderr, at most 4096 bytes) and
    /// exit code; killed after `timeout` nanoseconds (exit code -1, dockerd's message). A check that cannot run
    /// (the container paused, the command missing) is a failure with the reason as output.
    func probeHealth(_ id: String, command: [String], timeout: Int64) async -> ContainerHealth.Result {
        let start = JSONLogLine.now()
        func failure(_ code: Int, _ message: String) -> ContainerHealth.Result {
            ContainerHealth.Result(start: start, end: JSONLogLine.now(), exitCode: code, output: message)
        }
        guard let record = records[id] else { return failure(-1, "No such container: \(id)") }
        let exec = ExecRecord(id: ContainerID.random(), containerID: id, command: command)
        let spec: ExecSpec
        do {
            try Self.requireExecutable(record)
            spec = try execSpec(for: exec, container: record)
        } catch let error as EngineError {
            return failure(-1, error.message)
        } catch {
            return failure(-1, String(describing: error))
        }
        let pid = record.state.pid, initPath = configuration.initPath
        emit(exec.action("exec_create"), record: record, ["execID": exec.id])
        emit(exec.action("exec_start"), record: record, ["execID": exec.id])
        let process: ExecProcess
        do {
            process = try await BlockingWork.run { try ExecProcess.start(spec, containerPid: pid, initPath: initPath) }
        } catch {
            let message = String(describing: error)
            let code = message.contains("not found") || message.contains("no such file") ? 127 : 126
            emit(exec.action("exec_die"), id: id, ["execID": exec.id, "exitCode": "\(code)"])
            return failure(code, message)
        }
        let outcome = await Self.collect(process, timeout: timeout)
        guard let code = outcome.exitCode else {
            emit(exec.action("exec_die"), id: id, ["execID": exec.id, "exitCode": "137"])
            return failure(-1, "Health check exceeded timeout (\(HealthcheckConfig.goDuration(timeout)))")
        }
        emit(exec.action("exec_die"), id: id, ["execID": exec.id, "exitCode": "\(code)"])
        return ContainerHealth.Result(start: start, end: JSONLogLine.now(), exitCode: Int(code),
                                      output: outcome.output)
    }

    /// What one check's process gave: its output (dockerd's `limitedBuffer`: 4096 bytes, then `...`) and exit
    /// code; nil exit code when `timeout` nanoseconds passed first (the process is then killed, and reaped by the
    /// reading thread once it ends).
    static func collect(_ process: ExecProcess, timeout: Int64) async -> (output: String, exitCode: Int32?) {
        let (outcomes, continuation) = AsyncStream<(output: String, exitCode: Int32?)>.makeStream()
        let limit = 4096
        let reading = KernelThread.detach {
            var bytes: [UInt8] = []
            var truncated = false
            while let frame = try? process.read() {
                let room = limit - bytes.count
                if frame.bytes.count > room { truncated = true }
                bytes += frame.bytes.prefix(max(room, 0))
            }
            let code = process.wait()
            continuation.yield((String(decoding: bytes, as: UTF8.self) + (truncated ? "..." : ""), code))
        }
        guard reading else {
            process.signal(SIGKILL)
            return ("no thread could be made to read the health check's output", -1)
        }
        let timer = Task {
            try? await Task.sleep(for: .nanoseconds(timeout))
            guard !Task.isCancelled else { return }
            process.signal(SIGKILL)
            continuation.yield(("", nil))
        }
        var iterator = outcomes.makeAsyncIterator()
        let outcome = await iterator.next() ?? ("", nil)
        timer.cancel()
        continuation.finish()
        return outcome
    }
}
