import SystemKit
import Glibc
import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// The json-file log of a container, filtered by stream, the last `tail` records when given.
    public func logs(_ reference: String, stdout: Bool, stderr: Bool, tail: Int?) throws -> [LogEntry] {
        let id = try resolve(reference)
        try checkLogReadable(id)
        let entries = LogFileReader.readAll(logPath(of: id)).filter {
            ($0.stream == "stdout" && stdout) || ($0.stream == "stderr" && stderr)
        }
        guard let tail, tail >= 0 else { return entries }
        return Array(entries.suffix(tail))
    }

    /// `docker logs`: the selected records of the json-file log; with `follow` (and a container that runs), new
    /// records as they are written until it stops, tailed on a dedicated thread.
    public func logs(_ reference: String, _ query: LogQuery) throws -> AsyncThrowingStream<LogEntry, any Error> {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        try checkLogReadable(id)
        var reader = LogFileReader(path: logPath(of: id))
        let existing = query.select(LogFileReader.readRotated(logPath(of: id)) + reader.next())
        let (stream, continuation) = AsyncThrowingStream<LogEntry, any Error>.makeStream()
        for entry in existing { continuation.yield(entry) }
        let pastUntil = query.until.map { $0 <= APITime.now() } ?? false
        guard query.follow, record.state.isListed, !pastUntil else {
            continuation.finish()
            return stream
        }
        followLog(id, from: reader, accept: { query.accepts($0) }, into: continuation)
        return stream
    }

    /// Follows container `id`'s json-file log from `reader` on a dedicated thread until the container stops (or
    /// the consumer goes away), yielding the records `accept` keeps.
    func followLog(_ id: String, from reader: LogFileReader, accept: @escaping @Sendable (LogEntry) -> Bool,
                   into continuation: AsyncThrowingStream<LogEntry, any Error>.Continuation) {
        let stop = StopFlag()
        // A container that has ended is not told again: its follower stops at once, and is not kept.
        if hasFinished(id) { stop.raise() } else { withLive(id) { $0.logFollowers.append(stop) } }
        continuation.onTermination = { _ in stop.raise() }
        let start = reader
        KernelThread.detach {
            var reader = start
            while true {
                let stopping = stop.isRaised
                for entry in reader.next() where accept(entry) { continuation.yield(entry) }
                if stopping { break }
                stop.wait(milliseconds: 50)
            }
            continuation.finish()
        }
    }

    /// Refuses reading the log of a container whose driver keeps none, as dockerd does (501).
    func checkLogReadable(_ id: String) throws(EngineError) {
        guard records[id]?.configuration.request.logDriver == "none" else { return }
        throw EngineError(.notImplemented, "configured logging driver does not support reading")
    }

    /// Whether container `id` has run and ended (or is gone).
    func hasFinished(_ id: String) -> Bool {
        guard let record = records[id] else { return true }
        return record.state.status == .exited || record.state.status == .dead || record.state.status == .restarting
            || (record.state.status == .created && !record.state.error.isEmpty)
    }

    /// Ends one attach session; performs a deferred auto-removal when it was the last.
    func detach(_ id: String) {
        let pending = withLive(id) { state in
            state.attachers = max(state.attachers - 1, 0)
            return state.attachers == 0 && state.pendingAutoRemove
        }
        if pending { removeNow(id, deferDeletion: true) }
    }
}
