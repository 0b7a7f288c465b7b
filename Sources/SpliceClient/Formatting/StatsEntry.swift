import DockerModels

/// One row of `docker stats`, computed from a stats frame exactly as the docker CLI does.
public struct StatsEntry: Sendable, Equatable {
    /// The container's full ID.
    public var id: String
    /// The container's name without `/`.
    public var name: String
    /// What the user named it by (the `Container` column).
    public var container: String
    /// `(cpuDelta / systemDelta) × online CPUs × 100`.
    public var cpuPercent: Double
    /// Memory used without the inactive file cache.
    public var memory: Double
    /// The memory limit.
    public var memoryLimit: Double
    /// `memory / limit × 100`.
    public var memoryPercent: Double
    /// Bytes received over every interface.
    public var networkReceived: Double
    /// Bytes sent over every interface.
    public var networkSent: Double
    /// Bytes read from block devices.
    public var blockRead: Double
    /// Bytes written to block devices.
    public var blockWritten: Double
    /// Tasks.
    public var pids: UInt64

    /// The row for `frame` of the container the user named `container`.
    public init(_ frame: ContainerStats, container: String) {
        id = frame.id
        name = frame.name.hasPrefix("/") ? String(frame.name.dropFirst()) : frame.name
        self.container = container
        let cpuDelta = Double(frame.cpu_stats.cpu_usage.total_usage) - Double(frame.precpu_stats.cpu_usage.total_usage)
        let systemDelta = Double(frame.cpu_stats.system_cpu_usage ?? 0)
            - Double(frame.precpu_stats.system_cpu_usage ?? 0)
        var online = Double(frame.cpu_stats.online_cpus ?? 0)
        if online == 0 { online = Double(frame.cpu_stats.cpu_usage.percpu_usage?.count ?? 0) }
        cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0
        let memory = frame.memory_stats
        let usage = memory.usage ?? 0
        if let inactive = memory.stats?["total_inactive_file"], inactive < usage {
            self.memory = Double(usage - inactive)
        } else if let inactive = memory.stats?["inactive_file"], inactive < usage {
            self.memory = Double(usage - inactive)
        } else {
            self.memory = Double(usage)
        }
        memoryLimit = Double(memory.limit ?? 0)
        memoryPercent = memoryLimit != 0 ? self.memory / memoryLimit * 100 : 0
        let networks = frame.networks?.values.map { $0 } ?? []
        networkReceived = Double(networks.reduce(0) { $0 + $1.rx_bytes })
        networkSent = Double(networks.reduce(0) { $0 + $1.tx_bytes })
        var read: UInt64 = 0, written: UInt64 = 0
        for entry in frame.blkio_stats.io_service_bytes_recursive ?? [] {
            switch entry.op.first {
            case "r", "R": read += entry.value
            case "w", "W": written += entry.value
            default: break
            }
        }
        blockRead = Double(read)
        blockWritten = Double(written)
        pids = frame.pids_stats.current ?? 0
    }

    /// The fields `--format` sees (`.ID`, `.Name`, `.CPUPerc` …), as docker formats them.
    public func fields(truncate: Bool) -> JSONValue {
        let members: [(String, String)] = [
            ("Container", container), ("ID", truncate ? String(id.prefix(12)) : id), ("Name", name),
            ("CPUPerc", Self.percent(cpuPercent)),
            ("MemUsage", HumanUnits.binarySize(memory) + " / " + HumanUnits.binarySize(memoryLimit)),
            ("MemPerc", Self.percent(memoryPercent)),
            ("NetIO", HumanUnits.size(Int64(networkReceived)) + " / " + HumanUnits.size(Int64(networkSent))),
            ("BlockIO", HumanUnits.size(Int64(blockRead)) + " / " + HumanUnits.size(Int64(blockWritten))),
            ("PIDs", String(pids)),
        ]
        return .object(members.map { JSONValue.Member($0.0, .string($0.1)) })
    }

    /// The column titles of the fields.
    public static let header = JSONValue.object([
        ("Container", "CONTAINER"), ("ID", "CONTAINER ID"), ("Name", "NAME"), ("CPUPerc", "CPU %"),
        ("MemUsage", "MEM USAGE / LIMIT"), ("MemPerc", "MEM %"), ("NetIO", "NET I/O"), ("BlockIO", "BLOCK I/O"),
        ("PIDs", "PIDS"),
    ].map { JSONValue.Member($0.0, .string($0.1)) })

    /// Go's `%.2f%%`.
    static func percent(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)%"
    }
}
