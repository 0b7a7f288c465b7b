import Foundation
import Testing
import DockerModels
@testable import SpliceClient
import APITestSupport

/// `volume`, `stats`, `rename`, `update`, `container prune` and `system df` print what the docker CLI printed for
/// the same daemon answers (the captures in docs/docker-api-captures).
@Suite("splice volume, stats, rename, update, prune, system df in-process")
struct EngineCommandTests {
    @Test func volumeCreateListInspectRemove() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let created = try await server.splice(["volume", "create", "--label", "x=y", "cap-v1"])
        #expect(created.status == 0)
        #expect(created.stdout == "cap-v1\n")
        #expect(server.engine.calls.contains("createVolume(cap-v1, local, [\"x\": \"y\"])"))
        let listed = try await server.splice(["volume", "ls"])
        #expect(listed.stdout == "DRIVER    VOLUME NAME\nlocal     cap-v1\n")
        let quiet = try await server.splice(["volume", "ls", "-q", "--filter", "dangling=true"])
        #expect(quiet.stdout == "cap-v1\n")
        #expect(server.engine.calls.contains("volumes([\"dangling\": [\"true\"]])"))
        let formatted = try await server.splice(["volume", "ls", "--format", "{{.Name}}:{{.Labels}}:{{.Scope}}"])
        #expect(formatted.stdout == "cap-v1:x=y:local\n")
        let inspected = try await server.splice(["volume", "inspect", "cap-v1"])
        #expect(inspected.stdout == """
            [
                {
                    "CreatedAt": "2026-12-06T14:49:42Z",
                    "Driver": "local",
                    "Labels": {
                        "x": "y"
                    },
                    "Mountpoint": "/var/lib/docker/volumes/cap-v1/_data",
                    "Name": "cap-v1",
                    "Options": null,
                    "Scope": "local"
                }
            ]

            """)
        let missing = try await server.splice(["volume", "inspect", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stdout == "[]\n")
        #expect(missing.stderr == "Error response from daemon: get nope: no such volume\n")
        let removed = try await server.splice(["volume", "rm", "cap-v1"])
        #expect(removed.stdout == "cap-v1\n")
        let inUse = try await server.splice(["volume", "rm", "cap-v2"])
        #expect(inUse.status == 1)
        #expect(inUse.stderr
            == "Error response from daemon: remove cap-v2: volume is in use - [\(FakeEngine.mainID)]\n")
    }

    @Test func volumePruneAsksUnlessForced() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let pruned = try await server.splice(["volume", "prune", "-f"])
        #expect(pruned.stdout == "Deleted Volumes:\ncap-v2\n\nTotal reclaimed space: 0B\n")
        let declined = try await server.splice(["volume", "prune"])
        #expect(declined.stdout == "WARNING! This will remove all local volumes not used by at least one container.\n"
            + "Are you sure you want to continue? [y/N] ")
        #expect(server.engine.calls.filter { $0.hasPrefix("pruneVolumes") }.count == 1)
    }

    @Test func statsNoStreamMatchesDocker() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["stats", "--no-stream", "cap-c1"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O       BLOCK I/O   PIDS
            c496944b3e09   cap-c1    0.00%     532KiB / 23.54GiB   0.00%     2.53kB / 0B   0B / 0B     1

            """)
        #expect(server.engine.calls.contains("stats(cap-c1, stream: false, oneShot: false)"))
        let formatted = try await server.splice(["stats", "--no-stream", "--format", "{{.Name}} {{.MemPerc}}",
                                                 "cap-c1"])
        #expect(formatted.stdout == "cap-c1 0.00%\n")
        let missing = try await server.splice(["stats", "--no-stream", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error response from daemon: No such container: nope\n")
    }

    @Test func streamingStatsRedrawsTheTableAsDocker28() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        // The fake's stream ends after one frame, so the command draws once and returns.
        let result = try await server.splice(["stats", "cap-c1"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\u{1B}[HCONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     "
            + "NET I/O       BLOCK I/O   PIDS \u{1B}[K\nc496944b3e09   cap-c1    0.00%     532KiB / 23.54GiB   0.00%     "
            + "2.53kB / 0B   0B / 0B     1 \u{1B}[K\n\u{1B}[J"), "\(result.stdout.debugDescription)")
        #expect(server.engine.calls.contains("stats(cap-c1, stream: true, oneShot: false)"))
    }

    @Test func cpuPercentAsDockerComputesIt() throws {
        var frame = ContainerStats(name: "/c", id: "c")
        frame.cpu_stats = .init(cpu_usage: .init(total_usage: 1_500_000_000), system_cpu_usage: 12_000_000_000,
                                online_cpus: 2)
        frame.precpu_stats = .init(cpu_usage: .init(total_usage: 500_000_000), system_cpu_usage: 10_000_000_000,
                                   online_cpus: 2)
        frame.memory_stats = .init(usage: 10_000, stats: ["total_inactive_file": 2_000], limit: 80_000)
        let entry = StatsEntry(frame, container: "c")
        #expect(entry.cpuPercent == 100)
        #expect(entry.memory == 8_000)
        #expect(entry.fields(truncate: true)["MemPerc"] == .string("10.00%"))
    }

    @Test func renameAndUpdateSendDockerRequests() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let renamed = try await server.splice(["rename", "cap_main", "cap-c2"])
        #expect(renamed.status == 0)
        #expect(renamed.stdout.isEmpty)
        #expect(server.engine.calls.contains("rename(cap_main, cap-c2)"))
        let missing = try await server.splice(["rename", "nosuch", "x1"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error response from daemon: No such container: nosuch\n"
            + "Error: failed to rename container named nosuch\n")
        let updated = try await server.splice(["update", "--memory", "64m", "--memory-swap", "128m", "--cpus", "0.5",
                                               "cap_main"])
        #expect(updated.status == 0)
        #expect(updated.stdout == "cap_main\n")
        #expect(server.engine.calls.contains("update(cap_main, memory: 67108864, swap: 134217728, nanoCPUs: 500000000, "
            + "restart: )"))
        let noFlags = try await server.splice(["update", "cap_main"])
        #expect(noFlags.status == 1)
    }

    @Test func containerPruneAndSystemDiskUsage() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let pruned = try await server.splice(["container", "prune", "-f"])
        #expect(pruned.stdout == "Deleted Containers:\n"
            + "c496944b3e0948234733b14c89023b43b0fe938c775eb5883ea064ed4c2c320d\n\nTotal reclaimed space: 0B\n")
        let usage = try await server.splice(["system", "df"])
        #expect(usage.status == 0)
        #expect(usage.stdout == """
            TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
            Images          2         1         202MB     202MB (100%)
            Containers      1         1         0B        0B
            Local Volumes   1         0         3B        3B (100%)
            Build Cache     0         0         0B        0B

            """)
        let verbose = try await server.splice(["system", "df", "-v"])
        #expect(verbose.stdout.contains(
            "Local Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\ncap-v1        0         3B\n"))
    }
}
