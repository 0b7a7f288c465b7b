import Foundation
import SpliceAPI
import struct EngineErrors.EngineError

/// The volume, stats, rename, update, prune and disk-usage operations of the fake, answering what dockerd answered
/// in the captures (`vol-*.txt`, `stats-no-stream.txt`, `system-df.txt`).
extension FakeEngine {
    /// `stats-no-stream.txt`'s frame.
    public static let capturedStats = #"{"read":"2026-12-06T14:38:20.046416647Z","preread":"2026-12-06T14:38:19.042613328Z","pids_stats":{"current":1},"blkio_stats":{"io_service_bytes_recursive":[],"io_serviced_recursive":[],"io_queue_recursive":[],"io_service_time_recursive":[],"io_wait_time_recursive":[],"io_merged_recursive":[],"io_time_recursive":[],"sectors_recursive":[]},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":30178316,"percpu_usage":[17836291,12342025],"usage_in_kernelmode":0,"usage_in_usermode":20000000},"system_cpu_usage":6198230000000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":30178316,"percpu_usage":[17836291,12342025],"usage_in_kernelmode":0,"usage_in_usermode":20000000},"system_cpu_usage":6196220000000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{"usage":544768,"max_usage":4300800,"stats":{"active_anon":4096,"active_file":229376,"cache":229376,"dirty":0,"hierarchical_memory_limit":9223372036854771712,"hierarchical_memsw_limit":9223372036854771712,"inactive_anon":49152,"inactive_file":0,"mapped_file":147456,"pgfault":1241,"pgmajfault":1,"pgpgin":931,"pgpgout":862,"rss":53248,"rss_huge":0,"total_active_anon":4096,"total_active_file":229376,"total_cache":229376,"total_dirty":0,"total_inactive_anon":49152,"total_inactive_file":0,"total_mapped_file":147456,"total_pgfault":1241,"total_pgmajfault":1,"total_pgpgin":931,"total_pgpgout":862,"total_rss":53248,"total_rss_huge":0,"total_unevictable":0,"total_writeback":0,"unevictable":0,"writeback":0},"limit":25276182528},"name":"/cap-c1","id":"c496944b3e0948234733b14c89023b43b0fe938c775eb5883ea064ed4c2c320d","networks":{"eth0":{"rx_bytes":1266,"rx_packets":15,"rx_errors":0,"rx_dropped":0,"tx_bytes":0,"tx_packets":0,"tx_errors":0,"tx_dropped":0},"eth1":{"rx_bytes":1266,"rx_packets":15,"rx_errors":0,"rx_dropped":0,"tx_bytes":0,"tx_packets":0,"tx_errors":0,"tx_dropped":0}}}"#
    /// `system-df.txt`'s answer.
    public static let capturedDiskUsage = #"{"LayersSize":201984172,"Images":[{"Containers":0,"Created":1796567018,"Id":"sha256:4fd36394b57df47fb5d499487ea71c67bc5070e005d4a05abe0ec86a1c577be9","Labels":null,"ParentId":"","RepoDigests":["127.0.0.1:5071/big@sha256:809a983b7e033522b5aff34e5b2abc282c3be38b5e71fca318e8c8e3fc50bb0a"],"RepoTags":["127.0.0.1:5071/big:1"],"SharedSize":1984172,"Size":201984172,"VirtualSize":201984172},{"Containers":1,"Created":1796566108,"Id":"sha256:816a49e6cb5eac390de9dc4e9625c78bf8c3f6da125444b392140b4b39e621d5","Labels":null,"ParentId":"","RepoDigests":null,"RepoTags":["bb:latest"],"SharedSize":1984172,"Size":1984172,"VirtualSize":1984172}],"Containers":[{"Id":"c496944b3e0948234733b14c89023b43b0fe938c775eb5883ea064ed4c2c320d","Names":["/cap-c2"],"Image":"bb:latest","ImageID":"sha256:816a49e6cb5eac390de9dc4e9625c78bf8c3f6da125444b392140b4b39e621d5","Command":"sleep 300","Created":1796567874,"Ports":[],"SizeRootFs":1984172,"Labels":{},"State":"running","Status":"Up About a minute","HostConfig":{"NetworkMode":"cap-n2"},"NetworkSettings":{"Networks":{"cap-n2":{"IPAMConfig":{"IPv4Address":"10.231.0.200"},"Links":null,"Aliases":null,"NetworkID":"5ed46ff75a03f74c8314df0f7e872acd9b02f05f5460b278c2317e0b5cbc89ea","EndpointID":"c206e6e94091b1907c3e41125a8a5de7a08f7421fbd84d9e8a025c0ba35d940f","Gateway":"10.231.0.1","IPAddress":"10.231.0.200","IPPrefixLen":24,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"MacAddress":"02:42:0a:e7:00:c8","DriverOpts":null}}},"Mounts":[]}],"Volumes":[{"CreatedAt":"2026-12-06T14:49:43Z","Driver":"local","Labels":{"x":"y"},"Mountpoint":"/var/lib/docker/volumes/cap-v1/_data","Name":"cap-v1","Options":null,"Scope":"local","UsageData":{"RefCount":0,"Size":3}}],"BuildCache":null,"BuilderSize":0}"#

    public static let capturedVolume = Volume(CreatedAt: "2026-12-06T14:49:42Z", Labels: ["x": "y"],
                                       Mountpoint: "/var/lib/docker/volumes/cap-v1/_data", Name: "cap-v1",
                                       Options: nil)

    public func volumes(filters: [String: [String]]) async throws -> VolumeListResponse {
        record("volumes(\(filters))")
        return VolumeListResponse(Volumes: [Self.capturedVolume])
    }

    public func createVolume(_ request: VolumeCreateRequest) async throws -> Volume {
        record("createVolume(\(request.Name ?? ""), \(request.Driver ?? ""), \(request.Labels ?? [:]))")
        var volume = Self.capturedVolume
        volume.Name = request.Name ?? ""
        return volume
    }

    public func volume(_ name: String) async throws -> Volume {
        record("volume(\(name))")
        guard name == "cap-v1" else { throw EngineError(.notFound, "get \(name): no such volume") }
        return Self.capturedVolume
    }

    public func removeVolume(_ name: String, force: Bool) async throws {
        record("removeVolume(\(name), force: \(force))")
        if name == "cap-v2" {
            throw EngineError(.conflict, "remove cap-v2: volume is in use - [\(Self.mainID)]")
        }
    }

    public func pruneVolumes(filters: [String: [String]]) async throws -> VolumePruneResponse {
        record("pruneVolumes(\(filters))")
        return VolumePruneResponse(VolumesDeleted: ["cap-v2"], SpaceReclaimed: 0)
    }

    public func stats(_ id: String, stream: Bool, oneShot: Bool) async throws
        -> AsyncThrowingStream<ContainerStats, any Error> {
        record("stats(\(id), stream: \(stream), oneShot: \(oneShot))")
        guard id == "cap-c1" else { throw EngineError.noSuchContainer(id) }
        let frame = try JSONDecoder().decode(ContainerStats.self, from: Data(Self.capturedStats.utf8))
        let (frames, continuation) = AsyncThrowingStream<ContainerStats, any Error>.makeStream()
        continuation.yield(frame)
        continuation.finish()
        return frames
    }

    public func renameContainer(_ id: String, name: String) async throws {
        record("rename(\(id), \(name))")
        try known(id)
    }

    public func updateContainer(_ id: String, _ request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse {
        record("update(\(id), memory: \(request.Memory ?? 0), swap: \(request.MemorySwap ?? 0), "
            + "nanoCPUs: \(request.NanoCpus ?? 0), restart: \(request.RestartPolicy?.Name ?? "-"))")
        try known(id)
        return ContainerUpdateResponse()
    }

    public func pruneContainers(filters: [String: [String]]) async throws -> ContainerPruneResponse {
        record("pruneContainers(\(filters))")
        return ContainerPruneResponse(
            ContainersDeleted: ["c496944b3e0948234733b14c89023b43b0fe938c775eb5883ea064ed4c2c320d"])
    }

    public func diskUsage() async throws -> DiskUsage {
        record("diskUsage")
        // dockerd 20.10 sent `"RepoDigests":null` for an image without digests; `ImageSummary` keeps it as [].
        let text = Self.capturedDiskUsage.replacingOccurrences(of: "\"RepoDigests\":null", with: "\"RepoDigests\":[]")
        return try JSONDecoder().decode(DiskUsage.self, from: Data(text.utf8))
    }
}
