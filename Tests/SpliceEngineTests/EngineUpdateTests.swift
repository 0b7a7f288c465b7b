import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// `update`'s arithmetic and dockerd's refusals, without a cgroup.
@Suite("Container update rules")
struct EngineUpdateTests {
    static let id = "c1"

    @Test func memoryAloneKeepsTheSwapLimitDockerSetAtCreate() throws {
        var current = ContainerCreateOptions(image: "bb")
        current.memory = 32 << 20
        let grown = try ContainerEngine.updated(current, with: ResourceUpdate(memory: 48 << 20), id: Self.id)
        #expect(grown.memory == 48 << 20 && grown.memorySwap == 64 << 20)
        #expect(throws: EngineError(.conflict, "Cannot update container c1: Memory limit should be smaller than "
            + "already set memoryswap limit, update the memoryswap at the same time")) {
            try ContainerEngine.updated(current, with: ResourceUpdate(memory: 128 << 20), id: Self.id)
        }
        let both = try ContainerEngine.updated(current, with: ResourceUpdate(memory: 128 << 20, memorySwap: 256 << 20),
                                               id: Self.id)
        #expect(both.memorySwap == 256 << 20)
    }

    @Test func cpusBecomeAQuotaOfHundredMillisecondPeriods() throws {
        let current = ContainerCreateOptions(image: "bb")
        let half = try ContainerEngine.updated(current, with: ResourceUpdate(nanoCpus: 500_000_000), id: Self.id)
        let limits = try ContainerEngine.limits(for: half)
        #expect(limits.cpuQuotaMicroseconds == 50_000 && limits.cpuPeriodMicroseconds == 100_000)
        #expect(throws: EngineError(.conflict, "Cannot update container c1: Conflicting options: CPU Quota cannot be "
            + "updated as NanoCPUs has already been set")) {
            try ContainerEngine.updated(half, with: ResourceUpdate(cpuQuota: 20_000), id: Self.id)
        }
    }

    @Test func zerosKeepAndRestartPolicyRespectsAutoRemove() throws {
        var current = ContainerCreateOptions(image: "bb")
        current.cpuShares = 512
        current.autoRemove = true
        let kept = try ContainerEngine.updated(current, with: ResourceUpdate(memory: 0, cpuShares: 0, cpusetCpus: ""),
                                               id: Self.id)
        #expect(kept == current)
        #expect(throws: EngineError(.invalidArgument, "Cannot update container c1: Restart policy cannot be updated "
            + "because AutoRemove is enabled for the container")) {
            try ContainerEngine.updated(current, with: ResourceUpdate(restartPolicy: RestartPolicy(name: .always)),
                                        id: Self.id)
        }
    }
}
