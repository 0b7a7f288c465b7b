import JSONKit

extension SpliceCLI {
    /// docker's inspect output: each value through `template` when given, else one indented JSON array; then each
    /// failure on stderr. Exit status 1 when anything failed.
    static func printInspected(_ found: [JSONValue], failures: [String], template: GoTemplate?,
                               _ context: CommandContext) throws(ClientError) -> Int32 {
        if let template {
            for value in found { context.console.out(try template.render(value)) }
        } else {
            context.console.out(JSONValue.array(found).indentedText)
        }
        for failure in failures { context.console.err(failure) }
        return failures.isEmpty ? 0 : 1
    }

    /// `network inspect` and `volume inspect`: `GET /COLLECTION/NAME` for each name; a 404 is reported with the
    /// daemon's message and the others are still printed.
    static func inspectEach(_ collection: String, _ names: [String], template: GoTemplate?,
                            _ context: CommandContext) throws(ClientError) -> Int32 {
        var found: [JSONValue] = []
        var failures: [String] = []
        for name in names {
            do {
                found.append(try JSONValue.parse(try context.client.call("GET", path(collection, name))))
            } catch let error where error.isNotFound {
                failures.append(error.description)
            }
        }
        return try printInspected(found, failures: failures, template: template, context)
    }
}
