import SpliceAPI
import SpliceEngine

extension HealthcheckConfig {
    /// The engine's health check from a create request's `Config.Healthcheck` (a missing test is empty: the
    /// image's applies).
    init(_ config: HealthConfig) {
        self.init(test: config.Test ?? [])
        interval = config.Interval
        timeout = config.Timeout
        startPeriod = config.StartPeriod
        startInterval = config.StartInterval
        retries = config.Retries
    }
}

extension HealthConfig {
    /// Inspect's `Config.Healthcheck` from the container's (merged) health check; zero timings are left out, as
    /// dockerd leaves them out.
    init(_ check: HealthcheckConfig) {
        self.init()
        Test = check.test
        Interval = check.interval.flatMap { $0 == 0 ? nil : $0 }
        Timeout = check.timeout.flatMap { $0 == 0 ? nil : $0 }
        StartPeriod = check.startPeriod.flatMap { $0 == 0 ? nil : $0 }
        StartInterval = check.startInterval.flatMap { $0 == 0 ? nil : $0 }
        Retries = check.retries.flatMap { $0 == 0 ? nil : $0 }
    }
}

extension HealthState {
    /// Inspect's `State.Health` from the engine's.
    init(_ health: ContainerHealth) {
        self.init(Status: health.status.rawValue, FailingStreak: health.failingStreak, Log: health.log.map {
            HealthState.Result(Start: $0.start, End: $0.end, ExitCode: $0.exitCode, Output: $0.output)
        })
    }
}
