import SpliceAPI
import SpliceEngine
import SpliceNet
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// Refuses an IPv6 subnet that overlaps another network's, as dockerd refuses overlapping pools (403).
    func checkIPv6Overlap(_ metadata: NetworkMetadata) async throws {
        guard let subnet = metadata.ipv6?.subnet, let service = engine.networkService else { return }
        for record in try await service.networkRecords() {
            if let other = record.ipv6?.subnet, other.overlaps(subnet) {
                throw EngineError(.forbidden, "Pool overlaps with other one on this address space")
            }
        }
    }
}
