import SpliceAPI
import SpliceEngine
import struct SpliceImages.ImageError
import struct SpliceImages.ContainerConfig
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `GET /containers/{id}/changes`: the container's own layer against its image.
    public func changes(_ id: String) async throws -> [ContainerChange] {
        try await mappedImages {
            try await engine.changes(id).map { ContainerChange(Path: $0.path, Kind: $0.kind.rawValue) }
        }
    }

    /// `POST /commit?container=`: a new image from the container's layer; `Id` is the image id.
    public func commit(_ options: CommitOptions) async throws -> IDResponse {
        var commit = ContainerCommitOptions(comment: options.comment, author: options.author, changes: options.changes,
                                            pause: options.pause)
        if let repository = options.repository {
            commit.reference = repository + ":" + (options.tag.flatMap { $0.isEmpty ? nil : $0 } ?? "latest")
        }
        if let config = options.config {
            commit.overrides = SpliceImages.ContainerConfig(config)
        }
        let request = commit
        return try await mappedImages {
            IDResponse(Id: try await engine.commit(options.container, request).description)
        }
    }

    /// Runs `body`, turning image store errors into the API's kinds (404, 409, 400) and anything else into 500.
    func mappedImages<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch let error as ImageError {
            let code: EngineError.Code = switch error.code {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalidArgument: .invalidArgument
            default: .internal
            }
            throw EngineError(code, error.message, cause: error)
        } catch {
            throw EngineError(.internal, "\(error)", cause: error)
        }
    }
}
