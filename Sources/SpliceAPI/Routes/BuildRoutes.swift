#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import struct EngineErrors.EngineError

/// `POST /build` (the legacy builder that `DOCKER_BUILDKIT=0 docker build` uses).
enum BuildRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.POST, "/build") { request, _, engine in
            var options = BuildOptions()
            options.tags = request.query.strings("t").filter { !$0.isEmpty }
            if let dockerfile = request.query.string("dockerfile"), !dockerfile.isEmpty {
                options.dockerfile = dockerfile
            }
            options.buildArgs = try jsonObject(request.query.string("buildargs"), name: "buildargs")
            options.labels = try jsonObject(request.query.string("labels"), name: "labels")
            options.target = request.query.string("target").flatMap { $0.isEmpty ? nil : $0 }
            options.noCache = request.query.bool("nocache")
            options.quiet = request.query.bool("q")
            if let mode = request.query.string("networkmode"), !mode.isEmpty { options.networkMode = mode }
            options.remove = request.query.string("rm").map { _ in request.query.bool("rm") } ?? true
            options.forceRemove = request.query.bool("forcerm")
            options.remoteContext = request.query.string("remote").flatMap { $0.isEmpty ? nil : $0 }
            return ImageRoutes.progressResponse(try await engine.build(options, context: request.body))
        },
        Route(.POST, "/build/prune") { request, _, engine in
            try .json(try await engine.pruneBuildCache(all: request.query.bool("all")))
        },
    ]

    /// A JSON object of strings from a query value (`{"V":"2"}`); null values are dropped.
    static func jsonObject(_ text: String?, name: String) throws(EngineError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        do {
            let decoded = try JSONDecoder().decode([String: String?].self, from: Data(text.utf8))
            return decoded.compactMapValues { $0 }
        } catch {
            throw EngineError(.invalidArgument, "invalid \(name) specification: \(text)", cause: error)
        }
    }
}
