import struct EngineErrors.EngineError
/// Resolves what a client typed (full id, name, `/name`, or unique id prefix) to a container id, in dockerd's
/// order: full id, then exact name, then id prefix.
public enum ContainerLookup {
    /// The id `reference` names among `records` (id to name), or `notFound` / `invalidArgument` (ambiguous).
    public static func resolve(_ reference: String, in names: [String: String]) throws(EngineError) -> String {
        guard !reference.isEmpty else { throw .noSuchContainer(reference) }
        if names[reference] != nil { return reference }
        let name = reference.hasPrefix("/") ? String(reference.dropFirst()) : reference
        if let match = names.first(where: { $0.value == name }) { return match.key }
        let matches = names.keys.filter { $0.hasPrefix(reference) }
        if matches.count == 1, let only = matches.first { return only }
        if matches.count > 1 {
            throw EngineError(.invalidArgument,
                                       "multiple IDs found with provided prefix: \(reference)")
        }
        throw .noSuchContainer(reference)
    }
}
