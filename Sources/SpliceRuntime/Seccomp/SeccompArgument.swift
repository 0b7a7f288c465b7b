/// A condition on one syscall argument, in Docker's profile format.
public struct SeccompArgument: Codable, Sendable, Equatable {
    /// The argument's position, from 0.
    public var index: UInt32
    /// The value compared with (the mask for `SCMP_CMP_MASKED_EQ`).
    public var value: UInt64
    /// The second value (what the masked argument must equal for `SCMP_CMP_MASKED_EQ`).
    public var valueTwo: UInt64?
    /// The comparison, such as `SCMP_CMP_EQ` or `SCMP_CMP_MASKED_EQ`.
    public var op: String

    /// Creates a condition.
    public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
        self.index = index
        self.value = value
        self.valueTwo = valueTwo
        self.op = op
    }
}
