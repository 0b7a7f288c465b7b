import Glibc
import NetlinkKit
import SystemKit

/// `pipework --batch FILE`: many attaches in one process, one per line in the usual grammar. Each line is
/// its own transaction; the first failure stops the batch, and the lines before it stay applied.
public struct PipeworkBatch {
    public let attacher: PipeworkAttacher
    public let resolver: GuestResolver

    /// How far a batch got.
    public struct Report: Sendable, Equatable {
        /// Lines attached.
        public var applied: Int
        /// The first failure, naming its line, or nil when every line succeeded.
        public var failure: String?
    }

    public init(attacher: PipeworkAttacher, resolver: GuestResolver) {
        self.attacher = attacher
        self.resolver = resolver
    }

    /// Reads `path` (`-` for standard input) and attaches each line.
    public func run(path: String) throws(PipeworkError) -> Report {
        let bytes: [UInt8]
        do {
            let descriptor = path == "-" ? FileDescriptor(owning: dup(STDIN_FILENO)) : try FileDescriptor.open(path)
            bytes = try descriptor.readAll()
        } catch {
            throw PipeworkError("--batch \(path): \(error.errno)")
        }
        return run(text: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Attaches each line of `text`.
    public func run(text: String, source: String = "batch") -> Report {
        var applied = 0
        var guests: [GuestReference: NetworkNamespace] = [:]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            do {
                guard let request = try PipeworkParser.parseBatchLine(String(line)) else { continue }
                let guest: NetworkNamespace
                if let known = guests[request.guest] {
                    guest = known
                } else {
                    guest = try resolver.resolve(request.guest)
                    guests[request.guest] = guest
                }
                try attacher.attach(request, guest: guest)
                applied += 1
            } catch {
                return Report(applied: applied, failure: "\(source) line \(number): \(error)"
                    + (applied > 0 ? " (the \(applied) line(s) before it stay attached)" : ""))
            }
        }
        return Report(applied: applied, failure: nil)
    }
}
