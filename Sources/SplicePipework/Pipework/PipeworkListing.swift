import NetlinkKit
import SystemKit

/// `pipework --list`: a table of what Splice attached, read back from the kernel's marks.
public enum PipeworkListing {
    /// The table as text: one header line, then one line per attachment.
    public static func render(_ attachments: [PipeworkAttacher.Attachment]) -> String {
        let header = ["GUEST", "GUEST IF", "MODE", "HOST IF", "HOST SIDE"]
        let rows = attachments.map { item in
            [item.mark.guest, item.mark.guestInterface, item.mark.mode.rawValue, item.mark.host,
             item.hostInterface ?? "-"]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 3)
            }.joined()
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Prints the table for every namespace on the machine.
    public static func print(_ attacher: PipeworkAttacher) throws(PipeworkError) {
        let namespaces = NamespaceScanner.all(excluding: attacher.hostNamespace)
        Swift.print(render(try attacher.attachments(searching: namespaces)))
    }
}
