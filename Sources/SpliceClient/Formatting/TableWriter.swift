/// Aligns rows like Go's `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` as the docker CLI uses it:
/// every column but the last is padded to max(10, widest cell + 3).
public struct TableWriter: Sendable {
    private var rows: [[String]] = []
    private let minWidth: Int

    /// Creates an empty table; `docker top` uses a minimum width of 20.
    public init(minWidth: Int = 10) { self.minWidth = minWidth }

    /// Adds a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The aligned text, each line ending in a newline.
    public func render() -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (column, cell) in row.enumerated() where column < row.count - 1 {
                widths[column] = max(widths[column], max(minWidth, cell.count + 3))
            }
        }
        var out = ""
        for row in rows {
            for (column, cell) in row.enumerated() {
                out += cell
                if column < row.count - 1 { out += String(repeating: " ", count: widths[column] - cell.count) }
            }
            out += "\n"
        }
        return out
    }
}
