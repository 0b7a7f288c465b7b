/// A translated argument comparison (libseccomp's `struct scmp_arg_cmp`).
public struct SeccompCondition: Equatable, Sendable {
    /// The comparison operators libseccomp knows.
    public enum Operator: String, Sendable, CaseIterable {
        case notEqual = "SCMP_CMP_NE"
        case lessThan = "SCMP_CMP_LT"
        case lessOrEqual = "SCMP_CMP_LE"
        case equal = "SCMP_CMP_EQ"
        case greaterOrEqual = "SCMP_CMP_GE"
        case greaterThan = "SCMP_CMP_GT"
        case maskedEqual = "SCMP_CMP_MASKED_EQ"
    }

    /// The argument's position.
    public var index: UInt32
    /// The comparison.
    public var op: Operator
    /// The first datum (the mask for `maskedEqual`).
    public var value: UInt64
    /// The second datum.
    public var valueTwo: UInt64

    /// Creates a condition.
    public init(index: UInt32, op: Operator, value: UInt64, valueTwo: UInt64 = 0) {
        self.index = index
        self.op = op
        self.value = value
        self.valueTwo = valueTwo
    }
}
