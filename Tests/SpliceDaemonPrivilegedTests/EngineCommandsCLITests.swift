import Foundation
import Glibc
import TestSupport
import Testing

/// The volumes API, stats, rename, update, container prune and system df through the real docker CLI, `splice`
/// and docker-py against `spliced`.
@Suite("spliced volume, stats, rename, update, prune, df", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct EngineCommandsCLITests {
    @Test func volumesLifecycle() throws {
        let lab = try DaemonLab("volumes")
        let created = try lab.docker(["volume", "create", "--label", "x=y", "v1"])
        #expect(created.status == 0, "\(created.stderr)\n\(lab.daemonLog())")
        #expect(created.stdout == "v1\n")
        let inspected = try lab.docker(["volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.x}} "
            + "{{.Mountpoint}}", "v1"])
        #expect(inspected.stdout == "v1 local local y \(lab.graph)/volumes/v1/_data\n", "\(inspected.stderr)")
        let run = try lab.docker(["run", "--rm", "--net=none", "-v", "v2:/data", "bb", "sh", "-c", "echo hi > /data/f"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try lab.docker(["volume", "ls"]).stdout == "DRIVER    VOLUME NAME\nlocal     v1\nlocal     v2\n")
        #expect(try lab.docker(["volume", "ls", "-q", "--filter", "label=x=y"]).stdout == "v1\n")
        #expect(try lab.docker(["volume", "ls", "-q", "--filter", "name=2"]).stdout == "v2\n")
        let user = try lab.docker(["run", "-d", "--net=none", "--name", "user", "-v", "v1:/d", "bb", "sleep", "60"])
        #expect(user.status == 0, "\(user.stderr)")
        let id = Substring(user.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try lab.docker(["volume", "ls", "-q", "--filter", "dangling=true"]).stdout == "v2\n")
        let inUse = try lab.docker(["volume", "rm", "v1"])
        #expect(inUse.status == 1)
        #expect(inUse.stderr == "Error response from daemon: remove v1: volume is in use - [\(id)]\n")
        let missing = try lab.docker(["volume", "rm", "nosuch"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such volume"), "\(missing.stderr)")
        #expect(try lab.docker(["volume", "rm", "-f", "nosuch"]).status == 0)
        let plugin = try lab.docker(["volume", "create", "-d", "nosuch", "v3"])
        #expect(plugin.status == 1)
        #expect(plugin.stderr.contains("error looking up volume plugin nosuch: plugin \"nosuch\" not found"),
                "\(plugin.stderr)")
        let badOption = try lab.docker(["volume", "create", "-o", "size=1", "v3"])
        #expect(badOption.stderr.contains("create v3: invalid option key: \"size\""), "\(badOption.stderr)")
        let pruned = try lab.docker(["volume", "prune", "-f"])
        #expect(pruned.stdout == "Deleted Volumes:\nv2\n\nTotal reclaimed space: 3B\n", "\(pruned.stderr)")
        #expect(try lab.docker(["volume", "ls", "-q"]).stdout == "v1\n")
        #expect(try lab.docker(["rm", "-f", "user"]).status == 0)
        #expect(try lab.docker(["volume", "rm", "v1"]).stdout == "v1\n")
        #expect(!FileManager.default.fileExists(atPath: lab.graph + "/volumes/v1"))
    }

    @Test func localDriverMountsItsDeviceAtFirstUse() throws {
        let lab = try DaemonLab("voltmpfs")
        let created = try lab.docker(["volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o",
                                      "o=size=1m,noexec", "scratch"])
        #expect(created.status == 0, "\(created.stderr)\n\(lab.daemonLog())")
        let options = try lab.docker(["volume", "inspect", "-f", "{{.Options.type}} {{.Options.o}}", "scratch"])
        #expect(options.stdout == "tmpfs size=1m,noexec\n")
        let mounts = try lab.docker(["run", "--rm", "--net=none", "-v", "scratch:/d", "bb", "grep", " /d ",
                                     "/proc/mounts"])
        #expect(mounts.status == 0, "\(mounts.stderr)\n\(lab.daemonLog())")
        #expect(mounts.stdout.hasPrefix("tmpfs /d tmpfs "), "\(mounts.stdout)")
        #expect(mounts.stdout.contains("noexec"), "\(mounts.stdout)")
        #expect(try lab.docker(["volume", "rm", "scratch"]).status == 0)
        let table = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!table.contains(lab.graph + "/volumes/scratch"))
    }

    /// `splice stats` without names follows the containers that start after it and drops those that stop, as
    /// docker's does.
    @Test func spliceStatsFollowsContainersThatStartAndStop() throws {
        let lab = try DaemonLab("statsnew")
        #expect(try lab.docker(["run", "-d", "--name", "early", "bb", "sleep", "300"]).status == 0)
        let output = lab.directory + "/stats.out"
        FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["SPLICE_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "-s", "KILL", "6",
                             DaemonLab.binary("splice", environment: "SPLICE_BIN"), "stats", "--format", "{{.Name}}"]
        // KILL: children of this test process start with INT and TERM blocked. Each frame is one write, so the
        // file holds whole frames.
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try process.run()
        usleep(1_500_000)
        #expect(try lab.docker(["run", "-d", "--name", "late", "bb", "sleep", "300"]).status == 0)
        usleep(1_500_000)
        #expect(try lab.docker(["stop", "-t", "0", "early"]).status == 0)
        process.waitUntilExit()
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let frames = text.components(separatedBy: "\u{1B}[H").filter { !$0.isEmpty }
        #expect(frames.first?.contains("early") == true && frames.first?.contains("late") == false, "\(frames)")
        #expect(frames.contains { $0.contains("early") && $0.contains("late") }, "\(frames)")
        #expect(frames.last?.contains("late") == true && frames.last?.contains("early") == false, "\(frames)")
    }

    @Test func statsShowTheCgroupCounters() throws {
        let lab = try DaemonLab("stats")
        #expect(try lab.docker(["run", "-d", "--name", "spin", "bb", "sh", "-c", "while :; do :; done"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--net=none", "--name", "idle", "-m", "64m", "bb", "sleep", "60"])
            .status == 0)
        let table = try lab.docker(["stats", "--no-stream", "spin", "idle"])
        #expect(table.status == 0, "\(table.stderr)\n\(lab.daemonLog())")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT ") == true,
                "\(table.stdout)")
        #expect(lines.count == 3, "\(table.stdout)")
        let spin = try #require(lines.first { $0.contains(" spin ") }).split(separator: " ")
        let cpu = try #require(Double(spin[2].dropLast()))
        #expect(cpu > 5, "a busy loop shows CPU: \(table.stdout)")
        let idle = try #require(lines.first { $0.contains(" idle ") })
        #expect(idle.contains(" / 64MiB "), "the memory limit: \(idle)")
        let formatted = try lab.docker(["stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}} {{.NetIO}}", "idle"])
        #expect(formatted.stdout == "idle 1 0B / 0B\n", "--net=none has no interfaces: \(formatted.stdout)")
        let splice = try lab.splice(["stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "spin"])
        #expect(splice.stdout == "spin 1\n", "\(splice.stderr)")
    }

    /// `docker system prune` (which ends with the build cache's prune) and `docker builder prune` work as against
    /// dockerd: stopped containers, unused networks and dangling images go, running ones and their images stay.
    @Test func systemPruneAndBuilderPrune() throws {
        let lab = try DaemonLab("sysprune")
        #expect(try lab.docker(["run", "-d", "--name", "alive", "bb", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["run", "--name", "ended", "bb", "true"]).status == 0)
        #expect(try lab.docker(["network", "create", "unused"]).status == 0)
        let pruned = try lab.docker(["system", "prune", "-f"])
        #expect(pruned.status == 0, "\(pruned.stdout)\(pruned.stderr)")
        #expect(pruned.stdout.contains("Deleted Containers:\n"), "\(pruned.stdout)")
        #expect(pruned.stdout.contains("Deleted Networks:\nunused\n"), "\(pruned.stdout)")
        #expect(pruned.stdout.hasSuffix("Total reclaimed space: 0B\n"), "\(pruned.stdout)")
        #expect(try lab.docker(["ps", "-a", "--format", "{{.Names}}"]).stdout == "alive\n")
        #expect(try lab.docker(["images", "-q", "bb"]).stdout.count == 13, "an image in use stays")
        let builder = try lab.docker(["builder", "prune", "-f"])
        #expect(builder.status == 0 && builder.stdout.hasSuffix("Total reclaimed space: 0B\n"),
                "\(builder.stdout)\(builder.stderr)")
        let splice = try lab.splice(["system", "prune", "-f"])
        #expect(splice.status == 0, "\(splice.stdout)\(splice.stderr)")

        // `builder prune -a` drops the build cache: the same build then runs its step again.
        let directory = try BuildTests.context(lab, "ctx", ["Dockerfile": "FROM bb\nRUN echo cached > /c\n"])
        #expect(try BuildTests.build(lab, ["-t", "cached", directory]).status == 0)
        #expect(try BuildTests.build(lab, ["-t", "cached", directory]).stdout.contains("Using cache"))
        let all = try lab.splice(["builder", "prune", "-a", "-f"])
        #expect(all.stdout.hasPrefix("Deleted build cache objects:\n")
                    && all.stdout.hasSuffix("Total reclaimed space: 0B\n"), "\(all.stdout)\(all.stderr)")
        let again = try BuildTests.build(lab, ["-t", "cached", directory])
        #expect(again.status == 0 && !again.stdout.contains("Using cache"), "\(again.stdout)")
    }

    @Test func renameUpdatePruneAndDiskUsage() throws {
        let lab = try DaemonLab("rename")
        #expect(try lab.docker(["run", "-d", "--net=none", "--name", "old", "-m", "32m", "bb", "sleep", "60"])
            .status == 0)
        #expect(try lab.docker(["run", "-d", "--net=none", "--name", "other", "bb", "sleep", "60"]).status == 0)
        #expect(try lab.docker(["rename", "old", "new"]).status == 0)
        #expect(try lab.docker(["ps", "--format", "{{.Names}}", "--filter", "name=new"]).stdout == "new\n")
        // dockerd reads the value as a regular expression, against the name with and without its slash.
        #expect(try lab.docker(["ps", "-a", "--format", "{{.Names}}", "--filter", "name=^/?(new|other)$"]).stdout
            .split(separator: "\n").sorted() == ["new", "other"])
        #expect(try lab.docker(["ps", "-q", "--filter", "name=^/ne$"]).stdout.isEmpty)
        #expect(try lab.docker(["volume", "ls", "-q", "--filter", "name=^v$"]).stdout.isEmpty)
        #expect(try lab.docker(["inspect", "-f", "{{.Name}}", "new"]).stdout == "/new\n")
        let conflict = try lab.docker(["rename", "new", "other"])
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("Conflict. The container name \"/other\" is already in use"),
                "\(conflict.stderr)")
        let events = try lab.docker(["events", "--since", "0", "--until", String(Int(Date().timeIntervalSince1970) + 1),
                                     "--filter", "event=rename", "--format", "{{.Actor.Attributes.name}} "
                                        + "{{.Actor.Attributes.oldName}}"])
        #expect(events.stdout == "new /old\n")

        let refused = try lab.docker(["update", "--memory", "128m", "new"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Memory limit should be smaller than already set memoryswap limit"),
                "\(refused.stderr)")
        let updated = try lab.docker(["update", "--memory", "48m", "--pids-limit", "20", "--cpu-shares", "512",
                                      "--restart", "on-failure:3", "new"])
        #expect(updated.status == 0, "\(updated.stderr)\n\(lab.daemonLog())")
        #expect(updated.stdout == "new\n")
        let id = try lab.docker(["inspect", "-f", "{{.Id}}", "new"]).stdout.trimmingCharacters(in: .newlines)
        let unified = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
        let memoryFile = unified ? "/sys/fs/cgroup/splice/\(id)/memory.max"
            : "/sys/fs/cgroup/memory/splice/\(id)/memory.limit_in_bytes"
        let pidsFile = unified ? "/sys/fs/cgroup/splice/\(id)/pids.max" : "/sys/fs/cgroup/pids/splice/\(id)/pids.max"
        #expect(try String(contentsOfFile: memoryFile, encoding: .utf8) == "50331648\n")
        #expect(try String(contentsOfFile: pidsFile, encoding: .utf8) == "20\n")
        let kept = try lab.docker(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} "
            + "{{.HostConfig.CpuShares}} {{.HostConfig.RestartPolicy.Name}}", "new"])
        #expect(kept.stdout == "50331648 20 512 on-failure\n", "\(kept.stderr)")
        let cpus = try lab.docker(["update", "--cpus", "0.5", "new"])
        #expect(cpus.status == 0, "\(cpus.stderr)")
        if unified {
            #expect(try String(contentsOfFile: "/sys/fs/cgroup/splice/\(id)/cpu.max", encoding: .utf8)
                == "50000 100000\n")
        } else {
            #expect(try String(contentsOfFile: "/sys/fs/cgroup/cpu/splice/\(id)/cpu.cfs_quota_us", encoding: .utf8)
                == "50000\n")
            #expect(try String(contentsOfFile: "/sys/fs/cgroup/cpu/splice/\(id)/cpu.cfs_period_us", encoding: .utf8)
                == "100000\n")
        }
        #expect(try lab.docker(["inspect", "-f", "{{.HostConfig.NanoCpus}}", "new"]).stdout == "500000000\n")
        let quota = try lab.docker(["update", "--cpu-quota", "20000", "new"])
        #expect(quota.status == 1)
        #expect(quota.stderr.contains("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been "
            + "set"), "\(quota.stderr)")
        let tooMany = try lab.docker(["run", "--rm", "--net=none", "--cpus", "64", "bb", "true"])
        #expect(tooMany.stderr.contains("Range of CPUs is from 0.01 to "), "\(tooMany.stderr)")

        #expect(try lab.docker(["run", "--net=none", "--name", "done", "--label", "keep=1", "bb", "true"]).status == 0)
        #expect(try lab.docker(["run", "--net=none", "--name", "gone", "bb", "true"]).status == 0)
        let gone = try lab.docker(["inspect", "-f", "{{.Id}}", "gone"]).stdout.trimmingCharacters(in: .newlines)
        let pruned = try lab.docker(["container", "prune", "-f", "--filter", "label!=keep"])
        #expect(pruned.stdout == "Deleted Containers:\n\(gone)\n\nTotal reclaimed space: 0B\n", "\(pruned.stderr)")
        #expect(try lab.docker(["ps", "-a", "--format", "{{.Names}}"]).stdout.split(separator: "\n").sorted()
            == ["done", "new", "other"])
        let pruneEvents = try lab.docker(["events", "--since", "0", "--until",
                                          String(Int(Date().timeIntervalSince1970) + 1), "--filter", "event=prune",
                                          "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.reclaimed}}"])
        #expect(pruneEvents.stdout == "container prune 0\n", "\(pruneEvents.stderr)")
        let usage = try lab.docker(["system", "df"])
        #expect(usage.status == 0, "\(usage.stderr)")
        #expect(usage.stdout.contains("\nContainers      3         2         "), "\(usage.stdout)")
        #expect(usage.stdout.hasSuffix("Build Cache     0         0         0B        0B\n"), "\(usage.stdout)")
        let splice = try lab.splice(["system", "df"])
        #expect(splice.stdout == usage.stdout, "\(splice.stderr)")
    }

    @Test func dockerPyReadsVolumesAndStats() throws {
        try #require(DockerPy.isInstalled, "docker-py is not installed")
        let lab = try DaemonLab("pyvol")
        #expect(try lab.docker(["run", "-d", "--name", "pyc", "bb", "sleep", "60"]).status == 0)
        let script = """
            import docker
            c = docker.from_env(version="auto")
            v = c.volumes.create("pv", labels={"a": "b"})
            print("create", v.name, v.attrs["Labels"], v.attrs["Driver"], v.attrs["Scope"])
            print("list", [x.name for x in c.volumes.list(filters={"label": "a=b"})])
            s = c.containers.get("pyc").stats(stream=False)
            print("stats", s["name"], s["pids_stats"]["current"], "eth0" in s["networks"],
                  s["cpu_stats"]["online_cpus"] > 0, s["precpu_stats"]["system_cpu_usage"] > 0)
            print("prune", c.volumes.prune())
            print("df", sorted(x["Name"] for x in c.df()["Volumes"]))
            """
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", script])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout == """
            create pv {'a': 'b'} local local
            list ['pv']
            stats /pyc 1 True True True
            prune {'SpaceReclaimed': 0, 'VolumesDeleted': ['pv']}
            df []

            """, "\(result.stderr)")
    }
}

/// docker-compose v1 against `spliced`: a project with a labelled named volume comes up and goes down with it.
@Suite("docker-compose v1 against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DockerComposeV1.isInstalled,
                "docker-compose v1 is not installed (scripts/setup.sh installs Debian's docker-compose)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct DockerComposeV1Tests {
    @Test func projectWithANamedVolumeUpAndDown() throws {
        let lab = try DaemonLab("compose")
        let project = lab.directory + "/proj"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try """
            version: "2.4"
            services:
              web:
                image: bb
                command: sh -c "echo hi > /data/f; sleep 60"
                network_mode: bridge
                volumes:
                  - data:/data
            volumes:
              data:
                labels:
                  purpose: test
            """.write(toFile: project + "/docker-compose.yml", atomically: true, encoding: .utf8)
        func compose(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try lab.compose(project: project, arguments)
        }
        let up = try compose(["up", "-d"])
        #expect(up.status == 0, "\(up.stderr)\n\(lab.daemonLog())")
        #expect(up.stderr.contains("Creating volume \"proj_data\" with default driver"), "\(up.stderr)")
        let labels = try lab.docker(["volume", "inspect", "-f", "{{index .Labels \"purpose\"}} "
            + "{{index .Labels \"com.docker.compose.volume\"}}", "proj_data"])
        #expect(labels.stdout == "test data\n", "\(labels.stderr)")
        var content = ""
        for _ in 0..<50 where content.isEmpty {
            content = try lab.docker(["exec", "proj_web_1", "cat", "/data/f"]).stdout
            if content.isEmpty { usleep(100_000) }
        }
        #expect(content == "hi\n")
        let again = try compose(["up", "-d"])
        #expect(again.status == 0, "an existing volume is reused: \(again.stderr)")
        let down = try compose(["down", "-v"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stderr.contains("Removing volume proj_data"), "\(down.stderr)")
        #expect(try lab.docker(["volume", "ls", "-q"]).stdout.isEmpty)
    }
}

/// docker-compose v1 (Debian's package, which scripts/setup.sh installs).
enum DockerComposeV1 {
    /// Its entry point.
    static let binary = "/usr/bin/docker-compose"
    /// Whether it runs.
    static let isInstalled: Bool = FileManager.default.isExecutableFile(atPath: binary)
}

extension DaemonLab {
    /// Runs docker-compose v1 on the project `proj` in directory `project` (its `docker-compose.yml`) against the
    /// lab's daemon.
    func compose(project: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(socket)", "/usr/bin/timeout", "-s", "KILL", "60",
                                       DockerComposeV1.binary, "--project-directory", project, "-f",
                                       project + "/docker-compose.yml", "-p", "proj"] + arguments)
    }

    /// Runs the `splice` client built beside `spliced` against the lab's daemon.
    func splice(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runStatus("/usr/bin/env", ["SPLICE_HOST=unix://\(socket)", "/usr/bin/timeout", "-s", "KILL", "60",
                                       Self.binary("splice", environment: "SPLICE_BIN")] + arguments)
    }
}
