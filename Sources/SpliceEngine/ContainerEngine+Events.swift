import struct EngineErrors.EngineError
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

    /// Records a network event (`connect`/`disconnect`) of container `id` on each of `networks` (driver names), as
    /// dockerd does: the actor is the network (its API id), with the container, the network's name and its driver.
    func emitNetwork(_ action: String, id: String, networks: [String]) async {
        guard records[id] != nil, let network, !networks.isEmpty else { return }
        let known = (try? await network.networkRecords()) ?? []
        for name in networks {
            let record = known.first { $0.options.name == name }
            let apiName = name == network.defaultNetwork ? "bridge" : name
            let networkID = record?.metadata?.id ?? NetworkIdentity.defaultNetworkID(name)
            let driver = record?.metadata?.driver ?? "bridge"
            let attributes = ["container": id, "name": apiName, "type": driver]
            events.record(EventMessage(type: "network", action: action,
                                       actor: .init(ID: networkID, Attributes: attributes), timeNano: APITime.now()))
        }
    }

    /// The networks (driver names) a container with `request` joins at start: its `NetworkMode` network, then the
    /// other configured ones; empty for `host`, `none` and `container:`.
    func joinedNetworks(id: String, request: ContainerCreateOptions) -> [String] {
        guard case .bridge(let primary)? = try? sandboxMode(request.networkMode, requireRunning: false) else {
            return []
        }
        return [primary] + networkAttachments(of: id).map(\.network).filter { $0 != primary }
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
