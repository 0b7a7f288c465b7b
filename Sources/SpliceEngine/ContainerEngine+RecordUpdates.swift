import Logging

extension ContainerEngine {
    /// Makes `record` its container's current record and saves it (`durable`: synced to disk). A save that fails
    /// is logged with its cause; the change stays in memory.
    func saveRecord(_ record: ContainerRecord, durable: Bool = true) {
        records[record.id] = record
        do {
            try store.save(record, durable: durable)
        } catch {
            configuration.logger.error("container record not saved", metadata: [
                "container": "\(record.id)", "error": "\(error)",
            ])
        }
    }

    /// Changes container `id`'s record with `change` and saves it as `saveRecord` does; nothing when there is no
    /// such container. Returns the changed record.
    @discardableResult
    func update(_ id: String, durable: Bool = true, _ change: (inout ContainerRecord) -> Void) -> ContainerRecord? {
        guard var record = records[id] else { return nil }
        change(&record)
        saveRecord(record, durable: durable)
        return record
    }
}
