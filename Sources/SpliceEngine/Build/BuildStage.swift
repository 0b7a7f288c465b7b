import SpliceImages

/// The state of one build stage while its instructions run: the image so far, its run defaults and the build
/// arguments in scope.
struct BuildStage {
    /// The stage's name (`FROM x AS name`), lower-cased, or nil.
    var name: String?
    /// The current image id; nil until FROM, and for `FROM scratch` before the first layer.
    var imageID: String?
    /// The current run defaults.
    var config = ContainerConfig()
    /// `ARG` values declared in this stage (with `--build-arg` applied).
    var arguments: [String: String] = [:]
    /// The declared argument names in order (for RUN's `|N K=V` history form).
    var argumentOrder: [String] = []
    /// Whether this stage set CMD itself (an ENTRYPOINT then keeps it; else it clears the base image's).
    var setCommand = false

    /// The environment of the image as name → value.
    var environment: [String: String] {
        var result: [String: String] = [:]
        for entry in config.env ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }

    /// What `$VAR` sees: the arguments, with the environment taking precedence.
    var variables: [String: String] { arguments.merging(environment) { $1 } }

    /// The shell of shell-form instructions.
    var shell: [String] { config.shell ?? ["/bin/sh", "-c"] }

    /// The working directory a relative path is resolved against.
    var workingDirectory: String { config.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/" }
}
