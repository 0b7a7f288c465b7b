import Foundation
import Glibc
import Testing
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

    @Test("the reduced default refuses dangerous calls, allows the rest, and ENOSYSes clone3")
    func reducedDefault() throws {
        let translation = try SeccompTranslation(.reducedDefault)
        #expect(translation.defaultAction == .allow)
        for name in ["mount", "keyctl", "add_key", "kexec_load", "init_module", "reboot", "swapoff", "bpf", "unshare",
                     "setns", "perf_event_open", "userfaultfd", "open_by_handle_at"] {
            #expect(translation.action(for: name) == .errno(UInt16(EPERM)), "\(name)")
        }
        #expect(translation.action(for: "clone3") == .errno(UInt16(ENOSYS)))
        for name in ["read", "ptrace", "clone", "execve", "setuid"] { #expect(translation.action(for: name) == .allow) }
        let clone = translation.rules.filter { $0.syscall == "clone" }
        #expect(clone.count == 7)
        #expect(clone.allSatisfy { $0.conditions.count == 1 && $0.conditions[0].op == .maskedEqual })
        #expect(clone.contains { $0.conditions[0].value == 0x2000_0000 && $0.conditions[0].valueTwo == 0x2000_0000 })
        // Names this architecture lacks (x86_64 has no vm86 or stime) are skipped, not errors.
        #expect(translation.skipped.contains("vm86"))
        #expect(translation.rules.first { $0.syscall == "mount" }?.number == 165)  // __NR_mount on x86_64
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
        let filter = try SeccompFilter(SeccompTranslation(.reducedDefault))
        let pfc = try filter.pseudoFilterCode()
        #expect(pfc.contains("# filter for syscall \"keyctl\""))
        #expect(pfc.contains("# filter for syscall \"clone\""))
        #expect(pfc.contains("action ERRNO(1)"))
        #expect(pfc.contains("action ERRNO(38)"))
        #expect(pfc.contains("# default action\naction ALLOW") || pfc.contains("action ALLOW"))
        let bpf = try filter.bpf()
        #expect(!bpf.isEmpty && bpf.count % 8 == 0)
    }
}
