import DockerModels
import FoundationEssentials
import Synchronization
import SystemKit
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// docker's default `stats` table.
    static let statsFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t"
        + "{{.BlockIO}}\t{{.PIDs}}"

    static func stats(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "stats", flags: [
            .init("all", "a"), .init("no-stream"), .init("no-trunc"), .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        var names = parsed.positionals
        if names.isEmpty {
            let query = parsed.bool("all") ? [("all", "1")] : []
            names = try context.client.decode([ContainerSummary].self, "GET", "/containers/json", query: query)
                .map(\.Id)
        }
        let table = try TemplateTable(parsed.value("format") ?? statsFormat)
        let truncate = !parsed.bool("no-trunc")
        func render(_ entries: [StatsEntry]) throws(ClientError) -> String {
            try table.render(entries.map { $0.fields(truncate: truncate) }, header: StatsEntry.header)
        }
        if parsed.bool("no-stream") {
            var entries: [StatsEntry] = []
            var failures: [String] = []
            for name in names {
                do {
                    let frame = try context.client.decode(ContainerStats.self, "GET",
                                                          path("containers", name, "/stats"), query: [("stream", "0")])
                    entries.append(StatsEntry(frame, container: name))
                } catch {
                    failures.append(error.description)
                }
            }
            guard failures.isEmpty else {
                for failure in failures { context.console.err(failure) }
                return 1
            }
            context.console.write(try render(entries))
            return 0
        }
        return try streamStats(names, context, render: render)
    }

    /// Follows every container's stats stream on its own thread and redraws the table twice a second until
    /// interrupted or every stream has ended.
    private static func streamStats(_ names: [String], _ context: CommandContext,
                                    render: (([StatsEntry]) throws(ClientError) -> String)) throws(ClientError)
        -> Int32 {
        let latest = Mutex<[String: StatsEntry]>([:])
        let running = Mutex(names.count)
        let ended = Mutex<Set<String>>([])
        var threads: [KernelThread] = []
        for name in names {
            let response = StreamHandoff(try context.client.checked(
                method: "GET", path: path("containers", name, "/stats"), query: [("stream", "1")]))
            let thread = KernelThread.start {
                defer {
                    ended.withLock { _ = $0.insert(name) }
                    running.withLock { $0 -= 1 }
                }
                var pending: [UInt8] = []
                while let piece = try? response.value.nextChunk() {
                    pending += piece
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = Array(pending[..<newline])
                        pending.removeFirst(newline + 1)
                        guard let frame = try? JSONDecoder().decode(ContainerStats.self, from: Data(line)) else {
                            continue
                        }
                        latest.withLock { $0[name] = StatsEntry(frame, container: name) }
                    }
                }
            }
            if let thread {
                threads.append(thread)
            } else {
                ended.withLock { _ = $0.insert(name) }
                running.withLock { $0 -= 1 }
            }
        }
        // As docker 28, the first draw waits until every container sent its first frame (or its stream ended).
        while names.contains(where: { name in
            latest.withLock { $0[name] == nil } && !ended.withLock { $0.contains(name) }
        }) {
            usleep(10_000)
        }
        while true {
            let entries = latest.withLock { current in names.compactMap { current[$0] } }
            // As docker 28: cursor home, each line cleared to its end, the rest of the screen cleared.
            let lines = try render(entries).split(separator: "\n").map { $0 + " \u{1B}[K\n" }.joined()
            context.console.write("\u{1B}[H" + lines + "\u{1B}[J")
            if running.withLock({ $0 }) == 0 { break }
            usleep(500_000)
        }
        for thread in threads { thread.join() }
        return 0
    }
}

/// A response handed to the one thread that reads it.
// @unchecked Sendable: the creating thread never touches `value` after handing the box to its reader thread.
private final class StreamHandoff: @unchecked Sendable {
    let value: HTTPResponse
    init(_ value: HTTPResponse) { self.value = value }
}
