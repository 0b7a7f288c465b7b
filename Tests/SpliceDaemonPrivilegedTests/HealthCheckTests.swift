import Foundation
import Glibc
import TestSupport
import Testing

/// Docker health checks against `spliced` through the real docker CLI and docker-compose v1: `--health-*` and the
/// image's `HEALTHCHECK`, `State.Health` through starting, unhealthy and healthy, `docker ps` status and filter,
/// `--no-healthcheck`, and `depends_on: condition: service_healthy`.
@Suite("health checks through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct HealthCheckTests {
    /// Polls `inspect -f template` of `container` (every 100 ms, 30 s at most) until it prints `expected`; what it
    /// printed last.
    static func await(_ lab: DaemonLab, _ container: String, _ template: String, _ expected: String) throws
        -> String
    {
        var last = ""
        for _ in 0..<300 {
            last = try lab.docker(["inspect", "-f", template, container]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if last == expected { break }
            usleep(100_000)
        }
        return last
    }

    /// `docker ps` names (one a line, sorted) with `filter`.
    static func names(_ lab: DaemonLab, _ arguments: [String]) throws -> [String] {
        try lab.docker(["ps", "--format", "{{.Names}}"] + arguments).stdout.split(separator: "\n").map(String.init)
            .sorted()
    }

    /// The `State.Health` of `container` as JSON.
    static func health(_ lab: DaemonLab, _ container: String) throws -> [String: Any] {
        let text = try lab.docker(["inspect", "-f", "{{json .State.Health}}", container]).stdout
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func checkGoesFromStartingToUnhealthyToHealthy() throws {
        let lab = try DaemonLab("health")
        let run = try lab.docker(["run", "-d", "--name", "hc", "--health-cmd", "test -f /tmp/ok",
                                  "--health-interval", "200ms", "--health-retries", "2", "bb", "sleep", "300"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        // A check an hour away: the container stays `starting`.
        let slow = try lab.docker(["run", "-d", "--name", "slow", "--health-cmd", "true", "--health-interval", "1h",
                                   "bb", "sleep", "300"])
        #expect(slow.status == 0, "\(slow.stderr)")
        let plain = try lab.docker(["run", "-d", "--name", "plain", "bb", "sleep", "300"])
        #expect(plain.status == 0, "\(plain.stderr)")

        let config = try lab.docker(["inspect", "-f", "{{json .Config.Healthcheck}}", "hc"]).stdout
        #expect(config == "{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ok\"],\"Interval\":200000000,\"Retries\":2}\n")
        let starting = try Self.health(lab, "slow")
        #expect(starting["Status"] as? String == "starting")
        #expect(starting["FailingStreak"] as? Int == 0)
        #expect((starting["Log"] as? [Any])?.isEmpty == true)
        #expect(try lab.docker(["inspect", "-f", "{{json .State.Health}}", "plain"]).stdout == "null\n")
        let slowStatus = try lab.docker(["ps", "--filter", "name=^slow$", "--format", "{{.Status}}"]).stdout
        #expect(slowStatus.hasPrefix("Up ") && slowStatus.hasSuffix(" (health: starting)\n"), "\(slowStatus)")
        #expect(try Self.names(lab, ["--filter", "health=starting"]).contains("slow"))
        #expect(try Self.names(lab, ["--filter", "health=none"]) == ["plain"])

        #expect(try Self.await(lab, "hc", "{{.State.Health.Status}}", "unhealthy") == "unhealthy",
                "\(lab.daemonLog())")
        let unhealthy = try Self.health(lab, "hc")
        #expect((unhealthy["FailingStreak"] as? Int ?? 0) >= 2, "\(unhealthy)")
        let failures = try #require(unhealthy["Log"] as? [[String: Any]])
        #expect(!failures.isEmpty && failures.count <= 5, "\(failures)")
        let failure = try #require(failures.last)
        #expect(failure["ExitCode"] as? Int == 1, "\(failure)")
        #expect((failure["Start"] as? String ?? "").hasPrefix("20"), "\(failure)")
        #expect((failure["End"] as? String ?? "").hasPrefix("20"), "\(failure)")
        let unhealthyStatus = try lab.docker(["ps", "--filter", "health=unhealthy", "--format",
                                              "{{.Names}} {{.Status}}"]).stdout
        #expect(unhealthyStatus.hasPrefix("hc Up ") && unhealthyStatus.hasSuffix(" (unhealthy)\n"),
                "\(unhealthyStatus)")

        #expect(try lab.docker(["exec", "hc", "touch", "/tmp/ok"]).status == 0)
        #expect(try Self.await(lab, "hc", "{{.State.Health.Status}}", "healthy") == "healthy")
        let healthy = try Self.health(lab, "hc")
        #expect(healthy["FailingStreak"] as? Int == 0)
        let passes = try #require(healthy["Log"] as? [[String: Any]])
        #expect(passes.count <= 5)
        #expect(passes.last?["ExitCode"] as? Int == 0, "\(passes)")
        let healthyStatus = try lab.docker(["ps", "--filter", "health=healthy", "--format",
                                            "{{.Names}} {{.Status}}"]).stdout
        #expect(healthyStatus.hasPrefix("hc Up ") && healthyStatus.hasSuffix(" (healthy)\n"), "\(healthyStatus)")
        #expect(try Self.names(lab, ["--filter", "health=unhealthy"]).isEmpty)

        // Each change is an event, `health_status: …`.
        // (`--until` is in whole seconds: one two seconds ahead takes in every event so far.)
        let until = String(Int(Date().timeIntervalSince1970) + 2)
        let events = try lab.docker(["events", "--since", "0", "--until", until, "--filter", "container=hc",
                                     "--format", "{{.Type}} {{.Action}}"]).stdout
        let changes = events.split(separator: "\n").filter { $0.contains("health_status") }
        #expect(changes == ["container health_status: unhealthy", "container health_status: healthy"], "\(events)")

        // A stopped container's check ends (dockerd then reads unhealthy); a start begins again at starting and
        // finds the file.
        #expect(try lab.docker(["stop", "-t", "1", "hc"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Health.Status}}", "hc"]).stdout == "unhealthy\n")
        #expect(try lab.docker(["start", "hc"]).status == 0)
        #expect(try Self.await(lab, "hc", "{{.State.Health.Status}}", "healthy") == "healthy")
        // Pausing stops the checks too (unhealthy, as dockerd); unpausing resumes them.
        #expect(try lab.docker(["pause", "hc"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.Health.Status}}", "hc"]).stdout == "unhealthy\n")
        #expect(try lab.docker(["unpause", "hc"]).status == 0)
        #expect(try Self.await(lab, "hc", "{{.State.Health.Status}}", "healthy") == "healthy")
        // A daemon restart finds the container running and checks it again.
        lab.stopDaemon()
        try lab.startDaemon()
        #expect(try Self.await(lab, "hc", "{{.State.Health.Status}}", "healthy") == "healthy", "\(lab.daemonLog())")
        let after = try lab.docker(["ps", "--filter", "health=healthy", "--format", "{{.Names}}"]).stdout
        #expect(after == "hc\n", "\(after)")
    }

    @Test func outputIsKeptAndASlowCheckTimesOut() throws {
        let lab = try DaemonLab("healthout")
        let run = try lab.docker(["run", "-d", "--name", "talk", "--health-cmd", "echo out; echo err >&2; exit 3",
                                  "--health-interval", "200ms", "--health-retries", "1", "bb", "sleep", "300"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        let slow = try lab.docker(["run", "-d", "--name", "hang", "--health-cmd", "sleep 30", "--health-timeout",
                                   "300ms", "--health-interval", "200ms", "--health-retries", "1", "bb", "sleep",
                                   "300"])
        #expect(slow.status == 0, "\(slow.stderr)")
        #expect(try Self.await(lab, "talk", "{{.State.Health.Status}}", "unhealthy") == "unhealthy")
        let talk = try #require(try Self.health(lab, "talk")["Log"] as? [[String: Any]])
        #expect(talk.last?["ExitCode"] as? Int == 3, "\(talk)")
        let output = try #require(talk.last?["Output"] as? String)
        #expect(output.contains("out\n") && output.contains("err\n"), "\(output)")
        #expect(try Self.await(lab, "hang", "{{.State.Health.Status}}", "unhealthy") == "unhealthy")
        let hang = try #require(try Self.health(lab, "hang")["Log"] as? [[String: Any]])
        #expect(hang.last?["ExitCode"] as? Int == -1, "\(hang)")
        #expect(hang.last?["Output"] as? String == "Health check exceeded timeout (300ms)", "\(hang)")
        // Failures within the start period do not count: the container stays starting.
        let grace = try lab.docker(["run", "-d", "--name", "grace", "--health-cmd", "false", "--health-interval",
                                    "200ms", "--health-retries", "1", "--health-start-period", "1h", "bb", "sleep",
                                    "300"])
        #expect(grace.status == 0, "\(grace.stderr)")
        #expect(try Self.await(lab, "grace", "{{len .State.Health.Log}}", "5") == "5")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}",
                                "grace"]).stdout == "starting 0\n")
        // Bad timings are refused as dockerd refuses them.
        let bad = try lab.docker(["create", "--health-cmd", "true", "--health-interval", "1us", "bb"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("Error response from daemon: Interval in Healthcheck cannot be less than 1ms"),
                "\(bad.stderr)")
    }

    /// `splice run` takes docker's `--health-*` flags. Within the start period a `starting` container is checked
    /// every start interval (given, or dockerd's 5 s), so an hour's interval does not leave it starting.
    @Test func spliceFlagsAndTheStartInterval() throws {
        let lab = try DaemonLab("healthsp")
        let quick = try lab.splice(["run", "-d", "--name", "quick", "--health-cmd", "true", "--health-interval", "1h",
                                    "--health-start-period", "1m", "--health-start-interval", "200ms",
                                    "--health-retries", "2", "bb", "sleep", "300"])
        #expect(quick.status == 0, "\(quick.stderr)\n\(lab.daemonLog())")
        let standard = try lab.splice(["run", "-d", "--name", "standard", "--health-cmd", "true",
                                       "--health-interval", "1h", "--health-start-period", "1m", "bb", "sleep", "300"])
        #expect(standard.status == 0, "\(standard.stderr)")
        let outside = try lab.splice(["run", "-d", "--name", "outside", "--health-cmd", "true",
                                      "--health-interval", "1h", "--health-start-interval", "200ms", "bb", "sleep",
                                      "300"])
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{json .Config.Healthcheck}}", "quick"]).stdout
                == "{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":3600000000000,\"StartPeriod\":60000000000,"
                + "\"StartInterval\":200000000,\"Retries\":2}\n")
        // The docker CLI keeps `--health-start-interval` for API 1.44 daemons and says so (spliced serves 1.41).
        let docker = try lab.docker(["run", "-d", "--health-cmd", "true", "--health-start-interval", "300ms", "bb",
                                     "sleep", "300"])
        #expect(docker.status != 0 && docker.stderr.contains("\"--health-start-interval\" requires API version 1.44"),
                "\(docker.stderr)")
        #expect(try Self.await(lab, "quick", "{{.State.Health.Status}}", "healthy") == "healthy", "\(lab.daemonLog())")
        #expect(try Self.await(lab, "standard", "{{.State.Health.Status}}", "healthy") == "healthy")
        // Without a start period the start interval does not apply: the first check is an hour away.
        #expect(try Self.health(lab, "outside")["Status"] as? String == "starting")
        let ps = try lab.splice(["ps", "--filter", "health=healthy", "--format", "{{.Names}}"])
        #expect(ps.stdout.split(separator: "\n").sorted() == ["quick", "standard"], "\(ps.stdout)\(ps.stderr)")

        let conflict = try lab.splice(["run", "--no-healthcheck", "--health-cmd", "true", "bb", "true"])
        #expect(conflict.status == 125 && conflict.stderr.contains("--no-healthcheck conflicts with --health-* options"),
                "\(conflict.stderr)")
        let bad = try lab.splice(["run", "--health-interval", "5x", "bb", "true"])
        #expect(bad.status == 125 && bad.stderr.contains(
            "invalid argument \"5x\" for \"--health-interval\" flag: time: invalid duration \"5x\""), "\(bad.stderr)")
        let negative = try lab.splice(["run", "--health-retries", "-1", "--health-cmd", "true", "bb", "true"])
        #expect(negative.status == 125 && negative.stderr.contains("--health-retries cannot be negative"),
                "\(negative.stderr)")
    }

    @Test func imageCheckIsInheritedOverriddenAndDisabled() throws {
        let lab = try DaemonLab("healthimg")
        let directory = try BuildTests.context(lab, "ctx", [
            "Dockerfile": "FROM bb\nHEALTHCHECK --interval=200ms --retries=4 CMD [\"test\", \"-d\", \"/tmp\"]\n",
        ])
        let built = try BuildTests.build(lab, ["-t", "checked", directory])
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)\n\(lab.daemonLog())")
        #expect(try lab.docker(["run", "-d", "--name", "inherit", "checked", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{json .Config.Healthcheck}}", "inherit"]).stdout
                == "{\"Test\":[\"CMD\",\"test\",\"-d\",\"/tmp\"],\"Interval\":200000000,\"Retries\":4}\n")
        #expect(try Self.await(lab, "inherit", "{{.State.Health.Status}}", "healthy") == "healthy",
                "\(lab.daemonLog())")
        // Timings the request leaves at 0 are the image's; the test is the request's when it gives one.
        #expect(try lab.docker(["run", "-d", "--name", "override", "--health-retries", "7", "checked", "sleep",
                                "300"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{json .Config.Healthcheck}}", "override"]).stdout
                == "{\"Test\":[\"CMD\",\"test\",\"-d\",\"/tmp\"],\"Interval\":200000000,\"Retries\":7}\n")
        let off = try lab.docker(["run", "-d", "--name", "off", "--no-healthcheck", "checked", "sleep", "300"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{json .Config.Healthcheck.Test}} {{json .State.Health}}",
                                "off"]).stdout == "[\"NONE\"] null\n")
        let status = try lab.docker(["ps", "--filter", "name=^off$", "--format", "{{.Status}}"]).stdout
        #expect(status.hasPrefix("Up ") && !status.contains("("), "\(status)")
        #expect(try Self.names(lab, ["--filter", "health=none"]) == ["off"])
    }

    @Test(.enabled(if: DockerComposeV1.isInstalled,
                   "docker-compose v1 is not installed (scripts/setup.sh installs Debian's docker-compose)"))
    func composeWaitsForAHealthyService() throws {
        let lab = try DaemonLab("healthcompose")
        let project = lab.directory + "/proj"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try """
            version: "2.4"
            services:
              db:
                image: bb
                command: sh -c "sleep 1; touch /tmp/ready; sleep 300"
                network_mode: bridge
                healthcheck:
                  test: ["CMD", "test", "-f", "/tmp/ready"]
                  interval: 200ms
                  retries: 50
              app:
                image: bb
                command: sleep 300
                network_mode: bridge
                depends_on:
                  db:
                    condition: service_healthy
            """.write(toFile: project + "/docker-compose.yml", atomically: true, encoding: .utf8)
        func compose(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try lab.compose(project: project, arguments)
        }
        let up = try compose(["up", "-d"])
        #expect(up.status == 0, "\(up.stderr)\n\(lab.daemonLog())")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Health.Status}}", "proj_db_1"]).stdout == "healthy\n")
        #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "proj_app_1"]).stdout == "running\n")
        let down = try compose(["down"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
    }
}
