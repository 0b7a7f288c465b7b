import SpliceImages
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// The health check's merge with the image's, its defaults, command, validation and dockerd's duration text.
@Suite("health check configuration")
struct HealthcheckConfigTests {
    static func check(_ test: [String], interval: Int64? = nil, retries: Int? = nil) -> HealthcheckConfig {
        var check = HealthcheckConfig(test: test)
        check.interval = interval
        check.retries = retries
        return check
    }

    @Test func requestOverImageAsDockerdMerges() throws {
        var image = SpliceImages.ContainerConfig()
        image.healthcheck = Self.check(["CMD", "true"], interval: 5_000_000_000, retries: 4)
        var request = ContainerCreateOptions(image: "x")
        request.cmd = ["sleep", "1"]
        func merged() throws -> HealthcheckConfig? {
            try ConfigurationBuilder.configuration(id: String(repeating: "a", count: 64), request: request,
                                                   imageID: "sha256:x", image: image).request.healthcheck
        }
        #expect(try merged() == image.healthcheck)
        // Timings left at 0 and a missing test are the image's.
        request.healthcheck = Self.check([], retries: 7)
        #expect(try merged() == Self.check(["CMD", "true"], interval: 5_000_000_000, retries: 7))
        request.healthcheck = Self.check(["CMD-SHELL", "test -f /x"], interval: 0)
        #expect(try merged() == Self.check(["CMD-SHELL", "test -f /x"], interval: 5_000_000_000, retries: 4))
        // `--no-healthcheck` stays NONE, and checks nothing.
        request.healthcheck = Self.check(["NONE"])
        let none = try #require(try merged())
        #expect(none.test == ["NONE"])
        #expect(none.probeCommand == nil)
    }

    @Test func defaultsAndCommand() {
        let check = Self.check(["CMD-SHELL", "test", "-f /x"])
        #expect(check.effectiveInterval == 30_000_000_000)
        #expect(check.effectiveTimeout == 30_000_000_000)
        #expect(check.effectiveRetries == 3)
        #expect(check.effectiveStartPeriod == 0)
        #expect(check.probeCommand == ["/bin/sh", "-c", "test -f /x"])
        #expect(Self.check(["CMD", "a", "b c"]).probeCommand == ["a", "b c"])
        #expect(Self.check([]).probeCommand == nil)
        #expect(Self.check(["WHAT", "x"]).probeCommand == nil)
    }

    @Test func validationWordsAsDockerd() throws {
        #expect(throws: EngineError.self) { try Self.check(["CMD", "true"], interval: 1000).validate() }
        #expect(throws: EngineError.self) { try Self.check(["CMD", "true"], retries: -1).validate() }
        try Self.check(["CMD", "true"], interval: 0, retries: 0).validate()
        do {
            try Self.check(["CMD", "true"], interval: 999_999).validate()
            Issue.record("an interval under 1 ms was accepted")
        } catch {
            #expect(error.message == "Interval in Healthcheck cannot be less than 1ms")
        }
    }

    @Test func durationsPrintAsGo() {
        let cases: [(Int64, String)] = [
            (0, "0s"), (300_000_000, "300ms"), (1_500_000_000, "1.5s"), (30_000_000_000, "30s"),
            (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"), (1_500, "1.5µs"), (12, "12ns"),
        ]
        for (value, text) in cases { #expect(HealthcheckConfig.goDuration(value) == text) }
    }

    @Test func logKeepsTheLastFive() {
        var health = ContainerHealth()
        for code in 0..<8 { health.append(.init(start: "s", end: "e", exitCode: code, output: "")) }
        #expect(health.log.map(\.exitCode) == [3, 4, 5, 6, 7])
        #expect(health.summary == "health: starting")
    }
}
