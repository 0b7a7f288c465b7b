/// docker's `--format` for list commands: `table TEMPLATE` renders a header row (the template run over the column
/// titles) and one row per item, aligned by `TableWriter` on the tabs; any other template prints one line per item;
/// `json` prints each item as one JSON line.
public struct TemplateTable: Sendable {
    private let template: GoTemplate
    private let isTable: Bool

    /// Parses `format` (with or without the `table` prefix).
    public init(_ format: String) throws(ClientError) {
        isTable = format.hasPrefix("table")
        var body = isTable ? String(format.dropFirst("table".count).drop { $0 == " " }) : format
        // `--format json`: each row as one JSON line, as docker prints it.
        if body == "json" { body = "{{json .}}" }
        template = try GoTemplate(body.replacingEscapes())
    }

    /// The text for `rows`; `header` maps each field to its column title.
    public func render(_ rows: [JSONValue], header: JSONValue) throws(ClientError) -> String {
        guard isTable else {
            return try rows.map { row throws(ClientError) in try template.render(row) + "\n" }.joined()
        }
        var table = TableWriter()
        for row in [header] + rows {
            table.append(try template.render(row).split(separator: "\t", omittingEmptySubsequences: false)
                .map(String.init))
        }
        return table.render()
    }
}

extension String {
    /// docker turns the two-character `\t` and `\n` of a format flag into a tab and a newline.
    func replacingEscapes() -> String {
        replacing("\\t", with: "\t").replacing("\\n", with: "\n")
    }
}
