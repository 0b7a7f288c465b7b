import Glibc
import SpliceAPI
import SpliceEngine
import SystemKit
import struct SpliceImages.ImageError
import struct SpliceImages.ImageFilters
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// Maps an image store failure to the API's error kinds by its message.
    func imageCall<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await BlockingWork.run(body)
        } catch let error as EngineError {
            throw error
        } catch let error as ImageError {
            throw Self.engineError(error)
        } catch {
            let text = "\(error)"
            throw EngineError(text.hasPrefix("No such image") ? .notFound : .internal, text, cause: error)
        }
    }

    /// The API error of an image store or registry failure, with the same message.
    static func engineError(_ error: ImageError) -> EngineError {
        let code: EngineError.Code = switch error.code {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalidArgument: .invalidArgument
        default: .internal
        }
        return EngineError(code, error.message, cause: error)
    }

    /// `GET /images/json`.
    /// `label` (every value matches), `before` and `since` (created before or after the image named) are applied
    /// here; `dangling` and `reference` by the store.
    public func images(_ options: ImageListOptions) async throws -> [ImageSummary] {
        let store = engine.images
        var filters = options.filters
        let labels = filters.removeValue(forKey: "label") ?? []
        let before = filters.removeValue(forKey: "before") ?? []
        let since = filters.removeValue(forKey: "since") ?? []
        let all = options.all, storeFilters = filters
        return try await imageCall {
            let listed = try store.images(all: all, filters: ImageFilters(storeFilters))
            guard !labels.isEmpty || !before.isEmpty || !since.isEmpty else {
                return listed
            }
            func created(_ name: String) throws(ImageError) -> Int64 { try store.image(named: name).created.seconds }
            let newest = try before.map(created).min(), oldest = try since.map(created).max()
            let kept = listed.filter { image in
                LabelFilter.matches(image.Labels ?? [:], labels)
                    && newest.map { image.Created < $0 } ?? true && oldest.map { image.Created > $0 } ?? true
            }
            return kept
        }
    }

    /// `GET /images/{name}/json`.
    public func image(_ name: String) async throws -> ImageInspect {
        let store = engine.images
        return try await imageCall { try store.inspect(name) }
    }

    /// `POST /images/create?fromSrc=-|URL`: the body (or the tar an `http://` URL answers) is spooled to a file, then
    /// imported as a one-layer image.
    public func importImage(_ options: ImageImportOptions, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        var reference = options.repository.flatMap { $0.isEmpty ? nil : $0 }
        if let repository = reference, let tag = options.tag, !tag.isEmpty { reference = repository + ":" + tag }
        let source = options.source
        let descriptor: Int32
        if source == "-" {
            descriptor = try await spoolBody(body, what: "import")
        } else {
            // `docker import URL`: the tar is downloaded first (the request body is empty).
            descriptor = try await spoolBody(RequestBody { $0.finish() }, what: "import")
            do {
                try await URLDownload.fetch(source, into: descriptor)
                lseek(descriptor, 0, SEEK_SET)
            } catch {
                close(descriptor)
                throw error
            }
        }
        let store = engine.images
        let changes = options.changes, message = options.message, named = reference
        let id = try await imageCall { () throws -> String in
            defer { close(descriptor) }
            return try store.importImage(from: descriptor, options: .init(reference: named, changes: changes,
                                                                         message: message, source: source))
                .description
        }
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        continuation.yield(ProgressMessage(status: id))
        continuation.finish()
        return stream
    }
}
