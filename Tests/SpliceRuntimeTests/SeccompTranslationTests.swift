import Foundation
import Glibc
import Testing
import CSeccomp
@testable import SpliceRuntime

@Suite("Seccomp profile translation")
struct SeccompTranslationTests {
    @Test("actions map to the kernel's SECCOMP_RET values")
    func actions() throws {
        #expect(try SeccompAction(name: "SCMP_ACT_ALLOW", errnoRet: nil).rawValue == 0x7fff_0000)
        #expect(try SeccompAction(name: "SCMP_ACT_ERRNO", errnoRet: nil) == .errno(UInt16(EPERM)))
        #expect(try SeccompAction(name: "SCMP_ACT_ERRNO", errnoRet: 38).rawValue == 0x0005_0026)
        #expect(try SeccompAction(name: "SCMP_ACT_KILL_PROCESS", errnoRet: nil).rawValue == 0x8000_0000)
        #expect(try SeccompAction(name: "SCMP_ACT_KILL", errnoRet: nil).rawValue == 0)
        #expect(throws: RuntimeError.self) { try SeccompAction(name: "SCMP_ACT_MAYBE", errnoRet: nil) }
    }

    @Test("the default profile refuses with EPERM what Docker's refuses, allows its allow-list, ENOSYSes clone3")
    func dockerDefault() throws {
        let translation = try SeccompTranslation(.dockerDefault(capabilities: .dockerDefault))
        #expect(translation.defaultAction == .errno(UInt16(EPERM)))
        for name in ["mount", "umount2", "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load",
                     "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "bpf", "unshare",
                     "setns", "perf_event_open", "userfaultfd", "open_by_handle_at", "acct", "settimeofday",
                     "clock_settime", "iopl", "ioperm", "syslog", "sethostname", "setdomainname", "vhangup",
                     "kcmp", "pidfd_getfd", "mbind", "set_mempolicy", "move_pages", "quotactl", "fanotify_init",
                     "lookup_dcookie", "fsopen", "open_tree", "move_mount", "io_uring_setup", "pivot_root",
                     "process_vm_readv", "process_vm_writev",
                     "nfsservctl", "uselib", "ustat", "sysfs", "_sysctl"] {
            #expect(translation.action(for: name) == .errno(UInt16(EPERM)), "\(name)")
        }
        #expect(translation.action(for: "clone3") == .errno(UInt16(ENOSYS)))
        // Docker's default capabilities include CAP_SYS_CHROOT; ptrace is allowed on kernels from 4.8.
        for name in ["read", "ptrace", "execve", "setuid", "chroot", "name_to_handle_at", "clock_adjtime",
                     "arch_prctl"] {
            #expect(translation.action(for: name) == .allow, "\(name)")
        }
        let clone = try #require(translation.rules.first { $0.syscall == "clone" })
        #expect(clone.action == .allow)
        #expect(clone.conditions == [SeccompCondition(index: 0, op: .maskedEqual, value: 0x7E02_0000, valueTwo: 0)])
        let socket = try #require(translation.rules.first { $0.syscall == "socket" })
        #expect(socket.conditions == [SeccompCondition(index: 0, op: .notEqual, value: 40)])
        #expect(translation.rules.filter { $0.syscall == "personality" }.map { $0.conditions[0].value }
            == [0, 8, 0x20000, 0x20008, 0xffff_ffff])
        // No name is added twice (libseccomp would merge them, but the translation stays readable).
        let unconditional = translation.rules.filter { $0.conditions.isEmpty }.map(\.syscall)
        #expect(Set(unconditional).count == unconditional.count)
        #expect(translation.rules.first { $0.syscall == "read" }?.number == 0)  // __NR_read on x86_64
    }

    @Test("capabilities unlock the calls Docker ties to them", arguments: [
        ("SYS_ADMIN", ["mount", "unshare", "setns", "clone3", "sethostname", "bpf", "perf_event_open", "syslog"]),
        ("SYS_MODULE", ["init_module", "finit_module", "delete_module"]), ("SYS_BOOT", ["reboot"]),
        ("SYS_TIME", ["settimeofday", "clock_settime"]), ("SYS_PTRACE", ["kcmp", "pidfd_getfd", "process_vm_readv"]),
        ("DAC_READ_SEARCH", ["open_by_handle_at"]), ("SYS_PACCT", ["acct"]), ("SYS_RAWIO", ["iopl", "ioperm"]),
        ("SYS_NICE", ["mbind", "set_mempolicy"]), ("BPF", ["bpf"]), ("PERFMON", ["perf_event_open"]),
    ])
    func capabilityRules(capability: String, names: [String]) throws {
        let added = try #require(Capability(name: capability))
        let capabilities = CapabilitySet(mask: CapabilitySet.dockerDefault.mask | CapabilitySet([added]).mask)
        let translation = try SeccompTranslation(.dockerDefault(capabilities: capabilities))
        for name in names { #expect(translation.action(for: name) == .allow, "\(name) with \(capability)") }
        if capability == "SYS_ADMIN" {
            #expect(translation.rules.filter { $0.syscall == "clone" }.allSatisfy { $0.conditions.isEmpty })
        }
        let without = try SeccompTranslation(.dockerDefault(capabilities: .empty))
        #expect(without.action(for: "chroot") == .errno(UInt16(EPERM)))  // --cap-drop SYS_CHROOT
    }

    @Test("a Docker-format allow-list profile translates rule by rule")
    func dockerFormat() throws {
        let json = #"""
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[
              {"names":["read","write","no_such_call"],"action":"SCMP_ACT_ALLOW"},
              {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},
              {"names":["chmod"],"action":"SCMP_ACT_ERRNO","errnoRet":1},
              {"names":["ptrace"],"action":"SCMP_ACT_KILL"}]}
            """#
        let profile = try JSONDecoder().decode(SeccompProfile.self, from: Data(json.utf8))
        let translation = try SeccompTranslation(profile)
        #expect(translation.defaultAction == .errno(1))
        #expect(translation.skipped == ["no_such_call"])
        #expect(translation.rules.map(\.syscall) == ["read", "write", "personality", "ptrace"])  // chmod = default
        #expect(translation.rules[2].conditions == [SeccompCondition(index: 0, op: .equal, value: 8)])
        #expect(translation.action(for: "ptrace") == .killThread)
        #expect(translation.action(for: "chmod") == .errno(1))
    }

    @Test("bad operators and argument indexes are rejected")
    func rejected() {
        let badOp = SeccompProfile(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
            SeccompSyscallRule(names: ["read"], action: "SCMP_ACT_ERRNO", args: [SeccompArgument(index: 0, value: 1, op: "SCMP_CMP_ABOUT")])
        ])
        #expect(throws: RuntimeError.self) { try SeccompTranslation(badOp) }
        let badIndex = SeccompProfile(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
            SeccompSyscallRule(names: ["read"], action: "SCMP_ACT_ERRNO", args: [SeccompArgument(index: 6, value: 1, op: "SCMP_CMP_EQ")])
        ])
        #expect(throws: RuntimeError.self) { try SeccompTranslation(badIndex) }
    }

    @Test("libseccomp builds the filter: the exported PFC names the rules and BPF comes in 8-byte instructions")
    func libseccompExport() throws {
        let filter = try SeccompFilter(SeccompTranslation(.dockerDefault(capabilities: .dockerDefault)))
        let pfc = try filter.pseudoFilterCode()
        #expect(pfc.contains("# filter for syscall \"read\""))
        #expect(pfc.contains("# filter for syscall \"clone\""))
        #expect(pfc.contains("action ERRNO(1)"))
        #expect(pfc.contains("action ERRNO(38)"))
        #expect(pfc.contains("action ALLOW"))
        let bpf = try filter.bpf()
        #expect(!bpf.isEmpty && bpf.count % 8 == 0)
    }

    /// Docker's `archMap`: on x86_64 the filter serves x86 and x32 too, so a 32-bit program meets the same
    /// allow-list (its own calls, such as `mmap2`, included) instead of being killed at its first call.
    @Test("the default profile serves x86 and x32 beside x86_64", .enabled(if: seccomp_arch_native() == seccomp_arch_resolve_name("x86_64"),
                                                                           "x86_64 hosts only"))
    func thirtyTwoBitArchitectures() throws {
        let translation = try SeccompTranslation(.dockerDefault(capabilities: .dockerDefault))
        #expect(Set(translation.extraArchitectures)
                == Set([seccomp_arch_resolve_name("x86"), seccomp_arch_resolve_name("x32")]))
        #expect(translation.rules.contains { $0.syscall == "mmap2" && $0.action == .allow })
        #expect(translation.rules.contains { $0.syscall == "socketcall" })
        let pfc = try SeccompFilter(translation).pseudoFilterCode()
        #expect(pfc.contains("# filter for arch x86 ("), "\(pfc.prefix(400))")
        #expect(pfc.contains("# filter for arch x32 ("))
        #expect(pfc.contains("# filter for syscall \"mmap2\""))
        // The filter containers get is built once per capability set and is this one.
        let built = try SeccompFilter(translation).bpf()
        #expect(try SeccompFilter.dockerDefaultBPF(capabilities: .dockerDefault) == built)
        #expect(try SeccompFilter.dockerDefaultBPF(capabilities: .dockerDefault) == built)
        #expect(try SeccompFilter.dockerDefaultBPF(capabilities: .empty) != built)
        // A profile without architectures serves the native one only; both forms at once are refused.
        var plain = SeccompProfile.dockerDefault(capabilities: .dockerDefault)
        plain.archMap = nil
        let native = try SeccompTranslation(plain)
        #expect(native.extraArchitectures.isEmpty && !native.rules.contains { $0.syscall == "mmap2" })
        plain.architectures = ["SCMP_ARCH_X86_64"]
        plain.archMap = SeccompProfile.archMap
        #expect(throws: RuntimeError.self) { try SeccompTranslation(plain) }
        plain.archMap = nil
        plain.architectures = ["SCMP_ARCH_NOPE"]
        #expect(throws: RuntimeError.self) { try SeccompTranslation(plain) }
    }
}
