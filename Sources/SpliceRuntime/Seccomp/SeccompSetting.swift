/// Which seccomp filter a container gets.
public enum SeccompSetting: Codable, Sendable, Equatable {
    /// `SeccompProfile.reducedDefault`.
    case `default`
    /// No filter (`--security-opt seccomp=unconfined`); also what `privileged` implies.
    case unconfined
    /// A profile in Docker's JSON format.
    case custom(profile: SeccompProfile)
}
