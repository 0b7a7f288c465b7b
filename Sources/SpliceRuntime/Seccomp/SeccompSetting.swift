/// Which seccomp filter a container gets.
public enum SeccompSetting: Codable, Sendable, Equatable {
    /// Docker's default profile for the container's capabilities (`SeccompProfile.dockerDefault(capabilities:)`).
    case `default`
    /// No filter (`--security-opt seccomp=unconfined`); also what `privileged` implies.
    case unconfined
    /// A profile in Docker's JSON format.
    case custom(profile: SeccompProfile)
}
