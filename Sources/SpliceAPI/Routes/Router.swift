import Logging
import NIOHTTP1
import struct EngineErrors.EngineError

/// Docker's path rules: optional `/vX.Y` prefix with version checks, then the route table.
struct Router: Sendable {
    /// The engine behind the routes.
    let engine: any DockerEngine
    /// Literal routes first, then named routes with the longest suffix first.
    let routes: [Route]
    /// Value of the `Server` header.
    let serverHeader: String
    /// Where requests and their failures are logged.
    let logger: Logger

    /// Creates a router over the full route table.
    init(engine: any DockerEngine, serverVersion: String, logger: Logger) {
        self.engine = engine
        self.logger = logger
        let all = SystemRoutes.all + ContainerRoutes.all + ExecRoutes.all + ImageRoutes.all + VolumeRoutes.all
            + NetworkRoutes.all + BuildRoutes.all
        routes = all.filter { !$0.pattern.hasName } + all.filter(\.pattern.hasName).sorted {
            $0.pattern.suffix.count > $1.pattern.suffix.count
        }
        serverHeader = "Docker/\(serverVersion) (linux)"
    }

    /// Splits `/v1.41/containers/json` into the version and the rest; nil version when unprefixed.
    static func splitVersion(_ path: Substring) -> (version: Substring?, rest: Substring) {
        guard path.hasPrefix("/v") else { return (nil, path) }
        let afterV = path.dropFirst(2)
        let end = afterV.firstIndex(of: "/") ?? afterV.endIndex
        let candidate = afterV[..<end]
        let parts = candidate.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return (nil, path)
        }
        let rest = afterV[end...]
        return (candidate, rest.isEmpty ? "/" : rest)
    }

    /// Answers one request; never throws (errors become Docker error bodies).
    func respond(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: RequestBody) async
        -> APIResponse {
        let pathPart = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let (versionText, rawPath) = Self.splitVersion(pathPart[0])
        var version: APIVersion?
        if let versionText {
            guard let parsed = APIVersion(versionText) else {
                return .error(EngineError(.invalidArgument, "invalid API version \(versionText)"))
            }
            if parsed > APIVersion.maximum {
                return .error(EngineError(.invalidArgument,
                    "client version \(versionText) is too new. Maximum supported API version is \(APIVersion.maximum)"))
            }
            if parsed < APIVersion.minimum {
                return .error(EngineError(.invalidArgument,
                    "client version \(versionText) is too old. Minimum supported API version is \(APIVersion.minimum)"))
            }
            version = parsed
        }
        let path = PercentDecoding.decode(rawPath, plusIsSpace: false) ?? String(rawPath)
        let query = QueryParameters(pathPart.count > 1 ? pathPart[1] : "")
        let request = APIRequest(method: method, path: path, version: version, query: query, headers: headers,
                                 body: body)
        for route in routes where route.method == method {
            guard let name = route.pattern.match(path) else { continue }
            do {
                return try await route.handler(request, name, engine)
            } catch let error as EngineError {
                return failed(method: method, path: pathPart[0], error)
            } catch {
                return failed(method: method, path: pathPart[0], EngineError(.internal, "\(error)", cause: error))
            }
        }
        return .error(EngineError(.notFound, "page not found"))
    }

    /// Docker's error answer for `error`; a server-side failure (5xx) is logged with its cause, as dockerd's
    /// "Handler for … returned error" line.
    private func failed(method: HTTPMethod, path: Substring, _ error: EngineError) -> APIResponse {
        let response = APIResponse.error(error)
        if response.status.code >= 500 {
            var metadata: Logger.Metadata = ["status": "\(response.status.code)"]
            if let cause = error.cause { metadata["cause"] = "\(cause)" }
            logger.error("Handler for \(method.rawValue) \(path) returned error: \(error.message)", metadata: metadata)
        }
        return response
    }

    /// The headers dockerd puts on every (non-hijack) response, merged with the route's and sorted like Go
    /// does, then `Date`.
    func headers(for response: APIResponse, date: String) -> HTTPHeaders {
        var pairs = response.headers
        pairs.append(("Api-Version", APIVersion.maximum.description))
        pairs.append(("Docker-Experimental", "false"))
        pairs.append(("Ostype", "linux"))
        pairs.append(("Server", serverHeader))
        pairs.sort { $0.0 < $1.0 }
        pairs.append(("Date", date))
        return HTTPHeaders(pairs)
    }
}
