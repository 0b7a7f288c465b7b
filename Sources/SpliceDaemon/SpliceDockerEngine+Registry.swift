import SpliceAPI
import SpliceEngine
import SpliceImages
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// The registry client for this daemon's `--insecure-registry` and `--registry-mirror` settings.
    var registry: RegistryClient {
        RegistryClients.client(insecureRegistries: settings.insecureRegistries, mirrors: settings.registryMirrors)
    }

    /// The registry credentials of an `X-Registry-Auth` header or `/auth` body; nil without a user name.
    static func credentials(_ auth: AuthConfig?) -> RegistryCredentials? {
        guard let auth, let username = auth.username, !username.isEmpty else { return nil }
        return RegistryCredentials(username: username, password: auth.password ?? "")
    }

    /// Runs a registry call, turning its failures into API errors.
    func registryCall<T>(_ body: () async throws(ImageError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.engineError(error)
        }
    }

    /// `POST /auth`: checks the credentials against the registry (`GET /v2/`, answering its challenge).
    public func authenticate(_ config: AuthConfig) async throws -> AuthResponse {
        let domain = RegistryClient.registryDomain(of: config.serveraddress)
        let credentials = RegistryCredentials(username: config.username ?? "", password: config.password ?? "")
        let client = registry
        try await registryCall { () async throws(ImageError) in
            try await client.login(domain: domain, credentials: credentials)
        }
        return AuthResponse()
    }

    /// `GET /images/search`: the registry's v1 search, or its v2 catalog filtered by the term; `filters` as
    /// docker's (`is-official`, `is-automated`, `stars`).
    public func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?) async throws
        -> [ImageSearchResult]
    {
        let client = registry
        let credentials = Self.credentials(auth)
        let wanted = limit ?? 25
        guard (1...100).contains(wanted) else {
            throw EngineError(.invalidArgument, "limit \(wanted) is outside the range of [1, 100]")
        }
        var minimumStars = 0
        for (key, values) in filters {
            switch key {
            case "stars":
                for value in values {
                    guard let stars = Int(value) else {
                        throw EngineError(.invalidArgument, "invalid filter 'stars=\(value)'")
                    }
                    minimumStars = max(minimumStars, stars)
                }
            case "is-official", "is-automated":
                for value in values where value != "true" && value != "false" {
                    throw EngineError(.invalidArgument, "invalid filter '\(key)=\(value)'")
                }
            default:
                throw EngineError(.invalidArgument, "invalid filter '\(key)'")
            }
        }
        let found = try await registryCall { () async throws(ImageError) in
            try await client.search(term, limit: wanted, credentials: credentials)
        }
        return found.filter { result in
            result.starCount >= minimumStars
                && (filters["is-official"]?.allSatisfy { ($0 == "true") == result.isOfficial } ?? true)
                && (filters["is-automated"]?.allSatisfy { ($0 == "true") == result.isAutomated } ?? true)
        }.map {
            ImageSearchResult(name: $0.name, description: $0.description, star_count: $0.starCount,
                              is_official: $0.isOfficial, is_automated: $0.isAutomated)
        }
    }

    /// `POST /images/create?fromImage=&tag=`: resolves the manifest first (a missing one is a 404 before any
    /// progress), then streams the pull's progress. An empty tag on a reference without one pulls every tag.
    public func pullImage(_ repository: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let text: String
        if let tag, !tag.isEmpty {
            text = repository + (tag.hasPrefix("sha256:") ? "@" : ":") + tag
        } else {
            text = repository
        }
        let reference = try await registryCall { () throws(ImageError) in try ImageReference(parsing: text) }
        let allTags = (tag ?? "").isEmpty && !Self.namesTagOrDigest(repository)
        let client = registry
        let credentials = Self.credentials(auth)
        let store = engine.images
        let puller = ImagePuller(store: store, client: client) { work in try await BlockingWork.run(work) }
        var plans: [ImagePuller.Plan] = []
        try await registryCall { () async throws(ImageError) in
            if allTags {
                let tags = try await puller.tags(of: reference, credentials: credentials)
                for name in tags { plans.append(try await puller.resolve(reference.withTag(name),
                                                                         credentials: credentials)) }
            } else {
                plans.append(try await puller.resolve(reference, credentials: credentials))
            }
        }
        let resolved = plans
        let events = engine.events
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        let task = Task {
            do {
                var downloaded = false
                for plan in resolved {
                    let outcome = try await puller.pull(plan) { event in continuation.yield(Self.message(event)) }
                    if case .downloaded = outcome { downloaded = true }
                    events.record(Self.imageEvent("pull", plan.reference))
                }
                if allTags {
                    continuation.yield(ProgressMessage(status: (downloaded ? "Status: Downloaded newer image for "
                                                                : "Status: Image is up to date for ")
                                                           + reference.repository))
                }
                continuation.finish()
            } catch let error as ImageError {
                continuation.finish(throwing: Self.engineError(error))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// `POST /images/{name}/push?tag=`: pushes the tag (or every tag of the repository), streaming progress; the
    /// last message carries the manifest digest in `aux`.
    public func pushImage(_ name: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let pusher = ImagePusher(store: engine.images, client: registry)
        let credentials = Self.credentials(auth)
        let references = try await registryCall { () throws(ImageError) in try pusher.references(name, tag: tag) }
        let events = engine.events
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        let task = Task {
            do {
                try await pusher.push(references, credentials: credentials) { event in
                    continuation.yield(Self.message(event))
                }
                for reference in references { events.record(Self.imageEvent("push", reference)) }
                continuation.finish()
            } catch let error as ImageError {
                continuation.finish(throwing: Self.engineError(error))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// dockerd's image event of a pull or push: the reference as the actor, its repository as `name`.
    static func imageEvent(_ action: String, _ reference: ImageReference) -> EventMessage {
        EventMessage(type: "image", action: action,
                     actor: .init(ID: reference.description, Attributes: ["name": reference.repository]),
                     timeNano: APITime.now())
    }

    /// Whether a `fromImage` value carries its own tag or digest (`bb:1`, `127.0.0.1:5000/bb@sha256:…`).
    static func namesTagOrDigest(_ text: String) -> Bool {
        if text.contains("@") { return true }
        guard let colon = text.lastIndex(of: ":") else { return false }
        return !text[colon...].contains("/")
    }

    /// The JSON progress message of a transfer event, as dockerd words it.
    static func message(_ event: TransferEvent) -> ProgressMessage {
        switch event {
        case .status(let text, let id):
            return ProgressMessage(status: text, id: id)
        case .layer(let text, let id):
            return ProgressMessage.state(text, id: id)
        case .progress(let text, let id, let current, let total):
            return ProgressMessage.progress(text, id: id, current: current, total: total)
        case .pushed(let tag, let digest, let size):
            var message = ProgressMessage()
            message.progressDetail = ProgressMessage.Detail()
            message.aux = ["Tag": tag, "Digest": digest.description, "Size": String(size)]
            return message
        }
    }
}
