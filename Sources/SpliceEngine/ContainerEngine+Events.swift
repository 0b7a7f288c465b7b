import struct DockerModels.EngineError
import struct DockerModels.EventMessage

extension ContainerEngine {
    /// Records a container event for `id` with Docker's attributes (image, name, labels) plus `extra`.
    func emit(_ action: String, id: String, _ extra: [String: String] = [:]) {
        guard let record = records[id] else { return }
        emit(action, record: record, extra)
    }

    /// Records a container event for `record`.
    func emit(_ action: String, record: ContainerRecord, _ extra: [String: String] = [:]) {
        var attributes = record.configuration.request.labels
        attributes["image"] = record.configuration.request.image
        attributes["name"] = record.name
        attributes.merge(extra) { _, new in new }
        events.record(EventMessage(type: "container", action: action,
                                   actor: .init(ID: record.id, Attributes: attributes), timeNano: APITime.now()))
    }

    /// Records a network event (`connect`/`disconnect`) of a bridge-mode container.
    func emitNetwork(_ action: String, id: String) {
        guard records[id] != nil, let network else { return }
        let attributes = ["container": id, "name": "bridge", "type": "bridge"]
        events.record(EventMessage(type: "network", action: action,
                                   actor: .init(ID: network.defaultNetwork, Attributes: attributes),
                                   timeNano: APITime.now()))
    }

    /// Records the `create` event of a container the engine just created (the API calls it after `create`).
    public func recordCreated(_ id: String) { emit("create", id: id) }

    /// `GET /events`: replay from `since`, then live events, ending at `until`.
    public func subscribeEvents(since: String?, until: String?, filters: [String: [String]]) throws(EngineError)
        -> AsyncThrowingStream<EventMessage, any Error>
    {
        try events.subscribe(since: since, until: until, filter: EventFilter(validating: filters))
    }

    /// Records dockerd's `prune` event of `type` (`container`, `volume`) with the bytes reclaimed.
    public func recordPrune(type: String, reclaimed: UInt64) {
        events.record(EventMessage(type: type, action: "prune",
                                   actor: .init(ID: "", Attributes: ["reclaimed": String(reclaimed)]),
                                   timeNano: APITime.now()))
    }

    /// Records a volume event (`create`, `destroy`), `driver` always `local`.
    func emitVolume(_ action: String, name: String, _ extra: [String: String] = [:]) {
        var attributes = ["driver": "local"]
        attributes.merge(extra) { _, new in new }
        events.record(EventMessage(type: "volume", action: action, actor: .init(ID: name, Attributes: attributes),
                                   timeNano: APITime.now()))
    }
}
