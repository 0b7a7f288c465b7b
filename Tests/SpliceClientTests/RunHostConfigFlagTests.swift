import DockerModels
import Foundation
import Testing
@testable import SpliceClient

/// The run/create flags for namespaces, tmpfs, init, device rules, swap, stop timeout and `--mount`, as the docker
/// CLI sends them.
@Suite("run/create HostConfig flags")
struct RunHostConfigFlagTests {
    func parse(_ arguments: [String]) throws -> ContainerCreateRequest {
        let scanner = ArgumentScanner(command: "run", flags: SpliceCLI.runFlags, interspersed: false)
        return try SpliceCLI.createRequest(try scanner.scan(arguments), .init(detach: true)).0
    }

    @Test func namespacesTmpfsInitAndLimits() throws {
        let request = try parse(["--pid=host", "--uts", "host", "--tmpfs", "/run", "--tmpfs", "/t:size=1m,mode=1770",
                                 "--init", "--device-cgroup-rule", "c 1:11 rw", "-m", "64m", "--memory-swap", "-1",
                                 "--memory-swappiness", "5", "--stop-timeout", "3", "bb"])
        let host = try #require(request.hostConfig)
        #expect(host.PidMode == "host" && host.UTSMode == "host")
        #expect(host.Tmpfs == ["/run": "", "/t": "size=1m,mode=1770"])
        #expect(host.Init == true)
        #expect(host.DeviceCgroupRules == ["c 1:11 rw"])
        #expect(host.MemorySwap == -1 && host.MemorySwappiness == 5)
        #expect(request.config.StopTimeout == 3)
        let plain = try parse(["bb"])
        #expect(plain.hostConfig?.Init == nil && plain.config.StopTimeout == nil && plain.hostConfig?.Tmpfs == nil)
    }

    @Test func mountFlag() throws {
        let request = try parse(["--mount", "type=bind,src=/a,dst=/b,readonly,bind-propagation=rshared",
                                 "--mount", "source=v,target=/v,volume-nocopy",
                                 "--mount", "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770", "bb"])
        let mounts = try #require(request.hostConfig?.Mounts)
        #expect(mounts.count == 3)
        #expect(mounts[0].Type == "bind" && mounts[0].Source == "/a" && mounts[0].Target == "/b")
        #expect(mounts[0].ReadOnly == true && mounts[0].BindOptions?.Propagation == "rshared")
        #expect(mounts[1].Type == "volume" && mounts[1].VolumeOptions?.NoCopy == true)
        #expect(mounts[2].TmpfsOptions?.SizeBytes == 1_048_576 && mounts[2].TmpfsOptions?.Mode == 0o1770)
        #expect(throws: ClientError.self) { try parse(["--mount", "type=bind,source=/a", "bb"]) }
        #expect(throws: ClientError.self) { try parse(["--mount", "type=bind,bogus=1,target=/b", "bb"]) }
    }
}
