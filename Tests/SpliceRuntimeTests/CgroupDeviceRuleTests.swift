import Testing
@testable import SpliceRuntime

@Suite("Cgroup device rules")
struct CgroupDeviceRuleTests {
    @Test("--device forms", arguments: [
        ("/dev/null", "/dev/null", "rwm"), ("/dev/null:/dev/xnull", "/dev/xnull", "rwm"),
        ("/dev/null:r", "/dev/null", "r"), ("/dev/null:/dev/xnull:rw", "/dev/xnull", "rw"),
        ("/dev/null:mwr", "/dev/null", "mwr"),
    ])
    func parse(spec: String, destination: String, permissions: String) throws {
        let rule = try DeviceRule.parse(spec)
        #expect(rule.kind == .character)
        #expect(rule.major == 1 && rule.minor == 3)
        #expect(rule.hostPath == "/dev/null")
        #expect(rule.containerPath == destination)
        #expect(rule.permissions == permissions)
        #expect(rule.allow)
        #expect(rule.cgroupV1Line == "c 1:3 \(permissions)")
    }

    @Test("Numbers come from stat of the host node")
    func zero() throws {
        #expect(try DeviceRule.parse("/dev/zero").cgroupV1Line == "c 1:5 rwm")
    }

    @Test("Bad --device values", arguments: [
        ("/dev/null:/dev/x:rwx", "--device: invalid device mode: rwx"),
        ("/dev/null:/x:/y:rw", "--device: invalid device specification: /dev/null:/x:/y:rw"),
        ("dev/null", "--device: invalid device specification: dev/null"),
        ("/dev/null:relative", "--device: relative is not an absolute path"),
        ("/etc/hostname", "--device: /etc/hostname is not a device node"),
        ("/dev/splice-missing",
         "--device: error gathering device information while adding custom device \"/dev/splice-missing\": "
            + "No such file or directory"),
    ])
    func errors(spec: String, message: String) {
        let error = #expect(throws: CgroupError.self) { try DeviceRule.parse(spec) }
        #expect(error?.description == message)
    }

    @Test("Mode validation")
    func modes() {
        #expect(DeviceRule.isValidMode("rwm"))
        #expect(DeviceRule.isValidMode("m"))
        #expect(!DeviceRule.isValidMode(""))
        #expect(!DeviceRule.isValidMode("rr"))
        #expect(!DeviceRule.isValidMode("rwmx"))
    }

    @Test("dev_t splitting matches glibc")
    func devT() {
        // glibc's makedev(259, 1048577): minor low 8 bits, major low 12 bits << 8, minor rest << 12, major rest << 32.
        let major: UInt64 = 259
        let minor: UInt64 = 1_048_577
        let device = (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32)
        #expect(DeviceRule.deviceMajor(device) == 259)
        #expect(DeviceRule.deviceMinor(device) == 1_048_577)
    }

    @Test("Docker's default rules in v1 syntax")
    func defaults() {
        #expect(DeviceRule.dockerDefaults.map(\.cgroupV1Line) == [
            "a", "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
            "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
        ])
        #expect(DeviceRule.dockerDefaults.first?.allow == false)
    }
}
