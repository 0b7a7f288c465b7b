/// An undo log for a multi-step change: each applied step registers how to reverse itself, and a failure
/// reverses them all, last first. Reversal continues past failures and reports them.
public struct Transaction {
    private var steps: [(description: String, undo: () throws -> Void)] = []

    public init() {}

    /// Registers how to undo a step that has just been applied.
    public mutating func onRollback(_ description: String, _ undo: @escaping () throws -> Void) {
        steps.append((description, undo))
    }

    /// The number of registered steps.
    public var count: Int { steps.count }

    /// Undoes every registered step in reverse order and returns what could not be undone.
    @discardableResult
    public mutating func rollback() -> [String] {
        var failures: [String] = []
        for step in steps.reversed() {
            do { try step.undo() } catch { failures.append("\(step.description): \(error)") }
        }
        steps.removeAll()
        return failures
    }

    /// Keeps every step: nothing will be undone.
    public mutating func commit() { steps.removeAll() }
}
