import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Throws dockerd's error when `name` (without `/`) is not a valid container name or another container has it.
    func checkNameAvailable(_ name: String) throws(EngineError) {
        guard NameGenerator.isValid(name) else {
            throw EngineError(.invalidArgument, "Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
                + "allowed")
        }
        if let owner = records.values.first(where: { $0.name == name }) {
            throw EngineError(.conflict, "Conflict. The container name \"/\(name)\" is already in use by container "
                + "\"\(owner.id)\". You have to remove (or rename) that container to be able to reuse that name.")
        }
    }

    /// `POST /containers/{id}/rename?name=`: gives the container `newName` at once (ps, inspect, lookups) and
    /// records the `rename` event with the old name, as dockerd does.
    public func rename(_ reference: String, to newName: String) throws(EngineError) {
        let name = newName.hasPrefix("/") ? String(newName.dropFirst()) : newName
        guard !reference.isEmpty, !name.isEmpty else {
            throw EngineError(.invalidArgument, "Neither old nor new names may be empty")
        }
        let id = try resolve(reference)
        guard var record = records[id] else { throw .noSuchContainer(reference) }
        let oldName = record.name
        guard name != oldName else {
            throw EngineError(.invalidArgument, "Renaming a container with the same name as its current name")
        }
        try checkNameAvailable(name)
        record.name = name
        try store.save(record)
        records[id] = record
        emit("rename", id: id, ["oldName": "/" + oldName])
    }
}
