import SpliceRuntime

extension ContainerEngine {
    /// The json-file log of a container, filtered by stream, the last `tail` records when given.
    public func logs(_ reference: String, stdout: Bool, stderr: Bool, tail: Int?) throws -> [LogEntry] {
        let id = try resolve(reference)
        let entries = LogFileReader.readAll(logPath(of: id)).filter {
            ($0.stream == "stdout" && stdout) || ($0.stream == "stderr" && stderr)
        }
        guard let tail, tail >= 0 else { return entries }
        return Array(entries.suffix(tail))
    }

    /// The container's output from its start to its exit (registered now, so auto-removal waits for the reader);
    /// the stream ends once the container has exited and its log is drained.
    public func attach(_ reference: String) throws -> AsyncThrowingStream<LogEntry, any Error> {
        let id = try resolve(reference)
        attachers[id, default: 0] += 1
        let path = logPath(of: id)
        let (stream, continuation) = AsyncThrowingStream<LogEntry, any Error>.makeStream()
        let task = Task { [weak self] in
            var reader = LogFileReader(path: path)
            while !Task.isCancelled {
                let finished = await self?.hasFinished(id) ?? true
                for entry in reader.next() { continuation.yield(entry) }
                if finished { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            continuation.finish()
            await self?.detach(id)
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Whether container `id` has run and ended (or is gone).
    func hasFinished(_ id: String) -> Bool {
        guard let record = records[id] else { return true }
        return record.state.status == .exited || record.state.status == .dead
            || (record.state.status == .created && !record.state.error.isEmpty)
    }

    /// Ends one attach session; performs a deferred auto-removal when it was the last.
    func detach(_ id: String) {
        let remaining = (attachers[id] ?? 1) - 1
        attachers[id] = remaining > 0 ? remaining : nil
        if remaining <= 0, pendingAutoRemove.contains(id) { removeNow(id) }
    }
}
