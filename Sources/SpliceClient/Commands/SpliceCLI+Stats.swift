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
        let all = parsed.bool("all")
        let list = { () throws(ClientError) -> [String] in
            try context.client.decode([ContainerSummary].self, "GET", "/containers/json",
                                      query: all ? [("all", "1")] : []).map(\.Id)
        }
        if names.isEmpty { names = try list() }
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
        // Without names, as docker: containers that start later join the table, and (without -a) those that stop
        // leave it.
        let discover = parsed.positionals.isEmpty ? list : nil
        return try streamStats(names, context, discover: discover, keepEnded: all, render: render)
    }

    /// Follows every container's stats stream on its own thread and redraws the table twice a second until
    /// interrupted or, for named containers, every stream has ended. With `discover`, the containers it lists each
    /// round are followed too, and an ended stream's row is dropped unless `keepEnded`.
    private static func streamStats(_ initial: [String], _ context: CommandContext,
                                    discover: (() throws(ClientError) -> [String])?, keepEnded: Bool,
                                    render: (([StatsEntry]) throws(ClientError) -> String)) throws(ClientError)
        -> Int32 {
        let latest = Mutex<[String: StatsEntry]>([:])
        let running = Mutex(0)
        let ended = Mutex<Set<String>>([])
        var names: [String] = []
        var threads: [KernelThread] = []
        func follow(_ name: String) throws(ClientError) {
            let response = StreamHandoff(try context.client.checked(
                method: "GET", path: path("containers", name, "/stats"), query: [("stream", "1")]))
            names.append(name)
            running.withLock { $0 += 1 }
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
        /// Waits until each of `followed` sent its first frame or its stream ended (docker 28 draws only then).
        func awaitFirstFrames(_ followed: [String]) {
            while followed.contains(where: { name in
                latest.withLock { $0[name] == nil } && !ended.withLock { $0.contains(name) }
            }) {
                usleep(10_000)
            }
        }
        for name in initial {
            do { try follow(name) } catch where discover != nil { continue }  // gone since the listing
        }
        awaitFirstFrames(names)
        while true {
            if !keepEnded && discover != nil {
                let gone = ended.withLock { $0 }
                names.removeAll { gone.contains($0) }
            }
            let entries = latest.withLock { current in names.compactMap { current[$0] } }
            // As docker 28: cursor home, each line cleared to its end, the rest of the screen cleared.
            let lines = try render(entries).split(separator: "\n").map { $0 + " \u{1B}[K\n" }.joined()
            context.console.write("\u{1B}[H" + lines + "\u{1B}[J")
            if discover == nil && running.withLock({ $0 }) == 0 { break }
            usleep(500_000)
            if let discover, let listed = try? discover() {
                // Without -a a container that stopped leaves the table even while its stream still answers.
                if !keepEnded { names.removeAll { !listed.contains($0) } }
                let known = Set(names).union(ended.withLock { $0 })
                let fresh = listed.filter { !known.contains($0) }
                for name in fresh { try? follow(name) }
                awaitFirstFrames(fresh)
            }
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
