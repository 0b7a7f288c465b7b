/// A terminal's size in character cells, as `TIOCSWINSZ` takes it.
public struct TerminalSize: Codable, Sendable, Equatable {
    /// Rows (the API's `h`).
    public var rows: UInt16
    /// Columns (the API's `w`).
    public var columns: UInt16

    /// Creates a size.
    public init(rows: UInt16, columns: UInt16) {
        self.rows = rows
        self.columns = columns
    }
}
