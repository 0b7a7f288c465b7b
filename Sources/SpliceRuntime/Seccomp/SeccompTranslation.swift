import CSeccomp

/// A Docker profile translated to libseccomp terms: the default action and the rules, in profile order.
public struct SeccompTranslation: Equatable, Sendable {
    /// The action for syscalls no rule matches.
    public var defaultAction: SeccompAction
    /// The rules to add.
    public var rules: [SeccompRule]
    /// Syscall names the profile mentions that this architecture does not have.
    public var skipped: [String]

    /// Translates `profile`: parses actions and operators, resolves syscall names for the native architecture,
    /// skips unknown names (as Docker does) and rules whose action is the default action (libseccomp rejects them).
    public init(_ profile: SeccompProfile) throws(RuntimeError) {
        defaultAction = try SeccompAction(name: profile.defaultAction, errnoRet: profile.defaultErrnoRet)
        rules = []
        skipped = []
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
                let number = seccomp_syscall_resolve_name(name)
                guard number >= 0 else {
                    skipped.append(name)
                    continue
                }
                rules.append(SeccompRule(syscall: name, number: number, action: action, conditions: conditions))
            }
        }
    }

    /// The action the filter takes for a call of `syscall` whose arguments match no conditional rule, as a quick
    /// way to read a translation: the first unconditional rule's action, else the default action.
    public func action(for syscall: String) -> SeccompAction {
        rules.first { $0.syscall == syscall && $0.conditions.isEmpty }?.action ?? defaultAction
    }
}
