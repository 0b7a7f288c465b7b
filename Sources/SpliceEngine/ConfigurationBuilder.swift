import SpliceImages
import struct EngineErrors.EngineError

/// Combines a create request with its image's run defaults, as dockerd does.
public enum ConfigurationBuilder {
    /// Docker's Cmd/Entrypoint rules: an entrypoint given in the request replaces the image's and drops the
    /// image's Cmd; an empty request entrypoint (`[]` or `[""]`) resets the image's; without one, the request's
    /// Cmd (or else the image's) follows the image's entrypoint. Throws when nothing is left to run.
    public static func command(entrypoint: [String]?, cmd: [String]?, imageEntrypoint: [String]?, imageCmd: [String]?)
        throws(EngineError) -> (entrypoint: [String], cmd: [String])
    {
        let requested = entrypoint.map { $0 == [""] ? [] : $0 }
        let resolvedEntrypoint: [String]
        let resolvedCmd: [String]
        if let requested, !requested.isEmpty {
            resolvedEntrypoint = requested
            resolvedCmd = cmd ?? []
        } else {
            resolvedCmd = (cmd?.isEmpty ?? true) ? (imageCmd ?? []) : (cmd ?? [])
            resolvedEntrypoint = requested ?? imageEntrypoint ?? []
        }
        if resolvedEntrypoint.isEmpty && resolvedCmd.isEmpty {
            throw EngineError(.invalidArgument, "No command specified")
        }
        return (resolvedEntrypoint, resolvedCmd)
    }

    /// The image's environment with the request's entries replacing same-named ones and new ones appended;
    /// `PATH` defaults to Docker's when neither sets it.
    public static func environment(image: [String], request: [String]) -> [String] {
        func key(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1).first ?? Substring(entry) }
        var result = image
        for entry in request {
            if let index = result.firstIndex(where: { key($0) == key(entry) }) {
                result[index] = entry
            } else {
                result.append(entry)
            }
        }
        if !result.contains(where: { key($0) == "PATH" }) {
            result.insert("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", at: 0)
        }
        return result
    }

    /// The full configuration of container `id` from `request` and the image's config. Without a requested
    /// hostname a `--net=host` or `--uts=host` container gets `hostHostname` (the host's, as in Docker), any other
    /// its short id.
    public static func configuration(id: String, request: ContainerCreateOptions, imageID: String,
                                     image: SpliceImages.ContainerConfig?, hostHostname: String = "")
        throws(EngineError)
        -> ContainerConfiguration
    {
        let (entrypoint, cmd) = try command(entrypoint: request.entrypoint, cmd: request.cmd,
                                            imageEntrypoint: image?.entrypoint, imageCmd: image?.cmd)
        let workingDir = nonEmpty(request.workingDir) ?? nonEmpty(image?.workingDir) ?? "/"
        guard workingDir.hasPrefix("/") else {
            throw EngineError(.invalidArgument, "the working directory '\(workingDir)' is invalid, it needs"
                + " to be an absolute path")
        }
        // As dockerd merges the image's config: its exposed ports join the request's (`-P` publishes them all),
        // and its STOPSIGNAL applies unless the request names one.
        var request = request
        let exposed = Set(request.exposedPorts).union((image?.exposedPorts ?? [:]).keys)
        request.exposedPorts = exposed.sorted()
        if request.stopSignal == nil, let signal = image?.stopSignal, !signal.isEmpty { request.stopSignal = signal }
        request.healthcheck = HealthcheckConfig.merged(request: request.healthcheck, image: image?.healthcheck)
        return ContainerConfiguration(
            request: request, imageID: imageID, entrypoint: entrypoint, cmd: cmd,
            env: environment(image: image?.env ?? [], request: request.env), workingDir: workingDir,
            user: nonEmpty(request.user) ?? nonEmpty(image?.user) ?? "root",
            hostname: nonEmpty(request.hostname)
                ?? (request.networkMode == "host" || request.utsMode == "host" ? nonEmpty(hostHostname) : nil) ?? String(id.prefix(12)))
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
