import Testing
@testable import SpliceRuntime

@Suite("Cgroup resource-limit parsing")
struct CgroupLimitsParsingTests {
    static let unitCases: [(String, UInt64)] = [
        ("512m", 512 << 20), ("512M", 512 << 20), ("1g", 1 << 30), ("1G", 1 << 30), ("100000k", 100_000 << 10),
        ("7340032b", 7_340_032), ("7340032", 7_340_032), ("1.5g", 3 << 29), ("64mb", 64 << 20),
        ("64MiB", 64 << 20), (" 32m\n", 32 << 20), ("6m", 6 << 20), ("1t", 1 << 40),
    ]

    @Test("Docker memory units", arguments: unitCases)
    func memoryUnits(text: String, bytes: UInt64) throws {
        #expect(try ResourceLimits.parseMemory(text) == bytes)
    }

    @Test("Malformed memory sizes are rejected with Docker's wording", arguments: [
        "-1", "-512m", "abc", "", "m", "12x", "1..5g", "0x10", "1 2m", "٣m", "99999999999p",
    ])
    func memoryErrors(text: String) {
        #expect(throws: CgroupError.invalidArgument(option: "--memory", message: "invalid size: '\(text)'")) {
            try ResourceLimits.parseMemory(text)
        }
    }

    @Test("Memory below 6MB is refused", arguments: ["4096b", "100k", "5m", "6291455", "0"])
    func memoryMinimum(text: String) {
        let error = #expect(throws: CgroupError.self) { try ResourceLimits.parseMemory(text) }
        #expect(error?.description == "--memory: Minimum memory limit allowed is 6MB")
    }

    @Test("Plain sizes below the minimum still parse as sizes")
    func sizeWithoutMinimum() throws {
        #expect(try ResourceLimits.parseSize("4096b", option: "--memory-swap") == 4096)
        #expect(try ResourceLimits.parseSize("100k", option: "--memory-swap") == 102_400)
    }

    @Test("Sizes beyond 64 bits are errors, never traps")
    func sizeOverflow() {
        #expect(throws: CgroupError.self) { try ResourceLimits.parseSize("16383.99999999999999999p", option: "--memory") }
        #expect(throws: CgroupError.self) { try ResourceLimits.parseSize("99999999999g", option: "--memory") }
        #expect(throws: CgroupError.self) { try ResourceLimits.parseSize("99999999999999999999", option: "--memory") }
    }

    static let cpuListCases: [(String, [Int])] = [
        ("0", [0]), ("0-1", [0, 1]), ("0-1,3", [0, 1, 3]), ("3,0-1", [0, 1, 3]), ("1,1", [1]), ("", []),
    ]

    @Test("cpuset lists", arguments: cpuListCases)
    func cpuLists(text: String, cpus: [Int]) throws {
        #expect(try ResourceLimits.parseCpuList(text) == cpus)
    }

    @Test("Malformed cpusets", arguments: ["a", "0-", "-1", "1-0", "0,,1", "0-1-2", "0 ,1", "+1"])
    func cpusetErrors(text: String) {
        let expected = CgroupError.invalidArgument(
            option: "--cpuset-cpus", message: "Invalid value \(text) for cpuset cpus")
        #expect(throws: expected) {
            try ResourceLimits.validateCpuset(text, online: "0-7")
        }
    }

    @Test("cpuset must be within the online CPUs")
    func cpusetOnline() throws {
        try ResourceLimits.validateCpuset("0-1", online: "0-1\n")
        try ResourceLimits.validateCpuset("1", online: "0-1")
        let error = #expect(throws: CgroupError.self) { try ResourceLimits.validateCpuset("0-1,3", online: "0-1\n") }
        #expect(
            error?.description == "--cpuset-cpus: Requested CPUs are not available - requested 0-1,3, available: 0-1")
    }

    @Test("This host's online CPUs parse")
    func hostOnlineCPUs() throws {
        let online = try ResourceLimits.onlineCPUs()
        #expect(try !ResourceLimits.parseCpuList(online).isEmpty)
    }

    static let weightCases: [(UInt64, UInt64)] = [
        (2, 1), (1024, 39), (512, 20), (262_144, 10_000), (0, 1), (1, 1), (300_000, 10_000),
    ]

    @Test("CPU shares map to cpu.weight as runc does", arguments: weightCases)
    func sharesToWeight(shares: UInt64, weight: UInt64) {
        #expect(ResourceLimits.cpuWeight(forShares: shares) == weight)
    }

    static let ioWeightCases: [(UInt16, UInt64)] = [(10, 1), (500, 4950), (1000, 10_000)]

    @Test("blkio weight maps to io.weight", arguments: ioWeightCases)
    func blkioToIOWeight(blkio: UInt16, io: UInt64) {
        #expect(ResourceLimits.ioWeight(forBlkioWeight: blkio) == io)
    }

    @Test("validate enforces Docker's rules")
    func validation() throws {
        try ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: -1).validate(onlineCPUs: "0-1")
        let limits = ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: 64 << 20, cpusetCpus: "1")
        try limits.validate(onlineCPUs: "0-1")
        let cases: [(ResourceLimits, String)] = [
            (ResourceLimits(memoryBytes: 1024), "--memory: Minimum memory limit allowed is 6MB"),
            (ResourceLimits(memorySwapBytes: 64 << 20),
             "--memory-swap: You should always set the Memory limit when using Memoryswap limit, see usage"),
            (ResourceLimits(memoryBytes: 64 << 20, memorySwapBytes: 32 << 20),
             "--memory-swap: Minimum memoryswap limit should be larger than memory limit, see usage"),
            (ResourceLimits(blkioWeight: 5), "--blkio-weight: Range of blkio weight is from 10 to 1000"),
            (ResourceLimits(cpusetCpus: "2"),
             "--cpuset-cpus: Requested CPUs are not available - requested 2, available: 0-1"),
        ]
        for (limits, message) in cases {
            let error = #expect(throws: CgroupError.self) { try limits.validate(onlineCPUs: "0-1") }
            #expect(error?.description == message)
        }
    }

    @Test("ResourceLimits round-trips through Codable shape")
    func equatable() {
        let limits = ResourceLimits(memoryBytes: 1 << 30, devices: DeviceRule.dockerDefaults)
        #expect(limits == limits)
        #expect(limits != ResourceLimits())
    }
}
