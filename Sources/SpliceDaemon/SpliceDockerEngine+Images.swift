#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceAPI
import SpliceEngine
import SystemKit
import struct SpliceImages.ImageError

extension SpliceDockerEngine {
    /// Re-encodes one of SpliceImages' Docker-shaped values as the API model of the same JSON shape.
    static func converted<Source: Encodable, Target: Decodable>(_ value: Source, to: Target.Type) throws -> Target {
        try JSONDecoder().decode(Target.self, from: JSONEncoder().encode(value))
    }

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
            throw EngineError(text.hasPrefix("No such image") ? .notFound : .internal, text)
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
        return EngineError(code, error.message)
    }

    /// `GET /images/json`.
    public func images(_ options: ImageListOptions) async throws -> [ImageSummary] {
        let store = engine.images
        let all = options.all
        return try await imageCall { try Self.converted(try store.images(all: all), to: [ImageSummary].self) }
    }

    /// `GET /images/{name}/json`.
    public func image(_ name: String) async throws -> ImageInspect {
        let store = engine.images
        return try await imageCall { try Self.converted(try store.inspect(name), to: ImageInspect.self) }
    }

    /// `POST /images/create?fromSrc=-`: the body is spooled to a file, then imported as a one-layer image.
    public func importImage(_ options: ImageImportOptions, body: AsyncStream<[UInt8]>) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        var reference = options.repository.flatMap { $0.isEmpty ? nil : $0 }
        if let repository = reference, let tag = options.tag, !tag.isEmpty { reference = repository + ":" + tag }
        let spool = engine.configuration.graph + "/tmp"
        mkdir(spool, 0o700)
        let path = spool + "/import-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw EngineError(.internal, "cannot create \(path): errno \(errno)") }
        unlink(path)
        do {
            for await chunk in body {
                var written = 0
                while written < chunk.count {
                    let count = chunk[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { throw EngineError(.internal, "cannot spool the import: errno \(errno)") }
                    written += count
                }
            }
            lseek(descriptor, 0, SEEK_SET)
        } catch {
            close(descriptor)
            throw error
        }
        let store = engine.images
        let changes = options.changes, message = options.message, named = reference
        let id = try await imageCall { () throws -> String in
            defer { close(descriptor) }
            return try store.importImage(from: descriptor, options: .init(reference: named, changes: changes,
                                                                         message: message, source: "-")).description
        }
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        continuation.yield(ProgressMessage(status: id))
        continuation.finish()
        return stream
    }
}
