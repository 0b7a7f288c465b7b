/// One libseccomp rule after translation: a resolved syscall number, an action and argument comparisons.
public struct SeccompRule: Equatable, Sendable {
    /// The syscall's name.
    public var syscall: String
    /// The syscall's number on this architecture.
    public var number: Int32
    /// What happens when it matches.
    public var action: SeccompAction
    /// The argument comparisons, all of which must hold.
    public var conditions: [SeccompCondition]

    /// Creates a rule.
    public init(syscall: String, number: Int32, action: SeccompAction, conditions: [SeccompCondition] = []) {
        self.syscall = syscall
        self.number = number
        self.action = action
        self.conditions = conditions
    }
}
