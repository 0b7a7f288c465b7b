import NIOHTTP1

/// One method + pattern and the function that answers it.
struct Route: Sendable {
    /// Answers a matched request; `name` is the `{name}` part of the path.
    typealias Handler = @Sendable (_ request: APIRequest, _ name: String, _ engine: any DockerEngine) async throws
        -> APIResponse

    /// Method.
    let method: HTTPMethod
    /// Path pattern.
    let pattern: RoutePattern
    /// Handler.
    let handler: Handler

    /// Creates a route from `"/containers/{name}/json"`.
    init(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = RoutePattern(pattern)
        self.handler = handler
    }
}
