import CSeccomp

/// A Docker profile translated to libseccomp terms: the default action and the rules, in profile order.
public struct SeccompTranslation: Equatable, Sendable {
    /// The action for syscalls no rule matches.
    public var defaultAction: SeccompAction
    /// The rules to add.
    public var rules: [SeccompRule]
    /// Syscall names the profile mentions that none of its architectures has.
    public var skipped: [String]
    /// libseccomp tokens of the architectures served besides the native one.
    public var extraArchitectures: [UInt32]

    /// Translates `profile`: parses actions and operators, resolves syscall names for the native architecture,
    /// skips unknown names (as Docker does) and rules whose action is the default action (libseccomp rejects them).
    public init(_ profile: SeccompProfile) throws(RuntimeError) {
        defaultAction = try SeccompAction(name: profile.defaultAction, errnoRet: profile.defaultErrnoRet)
        rules = []
        skipped = []
        extraArchitectures = try Self.architectures(profile)
        for entry in profile.syscalls {
            let action = try SeccompAction(name: entry.action, errnoRet: entry.errnoRet)
            var conditions: [SeccompCondition] = []
            for argument in entry.args ?? [] {
                guard let op = SeccompCondition.Operator(rawValue: argument.op) else {
                    throw .invalidSpec("unknown seccomp operator \"\(argument.op)\"")
                }
                guard argument.index < 6 else { throw .invalidSpec("seccomp argument index \(argument.index) > 5") }
                conditions.append(
                    SeccompCondition(index: argument.index, op: op, value: argument.value,
                                     valueTwo: argument.valueTwo ?? 0))
            }
            if action == defaultAction { continue }
            for name in entry.names {
                // A call only another served architecture has resolves to a negative pseudo number, which
                // libseccomp places in that architecture's part of the filter.
                let number = seccomp_syscall_resolve_name(name)
                guard number >= 0 || (number != __NR_SCMP_ERROR && !extraArchitectures.isEmpty) else {
                    skipped.append(name)
                    continue
                }
                rules.append(SeccompRule(syscall: name, number: number, action: action, conditions: conditions))
            }
        }
    }

    /// The profile's architectures besides the native one, as dockerd picks them: `architectures` as given, or
    /// the `archMap` entry of the native architecture; both at once is an error, as in dockerd.
    static func architectures(_ profile: SeccompProfile) throws(RuntimeError) -> [UInt32] {
        let native = seccomp_arch_native()
        var names: [String] = []
        if let given = profile.architectures, !given.isEmpty {
            if let map = profile.archMap, !map.isEmpty {
                throw .invalidSpec("'architectures' and 'archMap' were specified in the seccomp profile, use either"
                    + " 'architectures' or 'archMap'")
            }
            names = given
        } else {
            for entry in profile.archMap ?? [] where try token(entry.architecture) == native {
                names += [entry.architecture] + entry.subArchitectures
            }
        }
        var tokens: [UInt32] = []
        for name in names {
            let token = try token(name)
            if token != native && !tokens.contains(token) { tokens.append(token) }
        }
        return tokens
    }

    /// libseccomp's token for a profile's architecture name (`SCMP_ARCH_X86` is libseccomp's `x86`).
    static func token(_ name: String) throws(RuntimeError) -> UInt32 {
        let short = (name.hasPrefix("SCMP_ARCH_") ? String(name.dropFirst("SCMP_ARCH_".count)) : name).lowercased()
        let token = seccomp_arch_resolve_name(short)
        guard token != 0 else { throw .invalidSpec("unknown seccomp architecture \"\(name)\"") }
        return token
    }

    /// The action the filter takes for a call of `syscall` whose arguments match no conditional rule, as a quick
    /// way to read a translation: the first unconditional rule's action, else the default action.
    public func action(for syscall: String) -> SeccompAction {
        rules.first { $0.syscall == syscall && $0.conditions.isEmpty }?.action ?? defaultAction
    }
}
