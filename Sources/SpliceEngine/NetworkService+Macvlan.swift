import NetlinkKit
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// macvlan networks (`network create -d macvlan -o parent=IF`): a parent and a pool, containers on children of
/// the parent.
extension NetworkService {
    /// Creates a macvlan network; a taken name, a subnet that overlaps another network's, a parent that does not
    /// exist or that another macvlan network uses are refused with dockerd's words. Routes are no overlap here:
    /// a macvlan subnet is usually the parent's own LAN.
    public func createMacvlanNetwork(_ options: BridgeNetworkOptions, macvlan: MacvlanNetworkOptions,
                                     metadata: NetworkMetadata) async throws -> NetworkRecord
    {
        try await onQueue { driver, _ in
            let existing = try driver.networks()
            if existing.contains(where: { $0.options.name == options.name }) {
                throw EngineError(.conflict, "network with name \(options.name) already exists")
            }
            if let subnet = options.subnet, existing.contains(where: { $0.subnet.overlaps(subnet) }) {
                throw EngineError(.forbidden, "Pool overlaps with other one on this address space")
            }
            do throws(NetworkError) {
                return try driver.createMacvlanNetwork(options, macvlan: macvlan, metadata: metadata)
            } catch {
                let code: EngineError.Code = switch error.code {
                case .invalidArgument: .invalidArgument
                case .conflict: .forbidden
                default: .internal
                }
                throw EngineError(code, error.message, cause: error)
            }
        }
    }
}
