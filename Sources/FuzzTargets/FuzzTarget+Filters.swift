import DockerModels
import SpliceAPI
import SpliceClient
import SpliceEngine
import SpliceImages

extension FuzzTarget {
    /// Labels the label filters are matched against.
    static let sampleLabels = ["k": "v", "": "empty", "a=b": "c", "com.example": ""]

    /// An event the events filters are matched against.
    static let sampleEvent = EventMessage(
        type: "container", action: "exec_start: sh -c x",
        actor: EventMessage.Actor(ID: "abc123", Attributes: ["name": "c", "image": "bb:latest", "k": "v"]),
        timeNano: 1_700_000_000_123_456_789)

    /// A network the network filters are matched against.
    static let sampleNetwork: NetworkResource = {
        var network = NetworkResource()
        network.Name = "net"
        network.Id = "0123abcd"
        network.Labels = sampleLabels
        return network
    }()

    /// `filters`: the text as a `filters=` parameter (both Docker forms) applied as the events, network, image and
    /// container-prune filters apply it, and every value (and the text itself) as the label filter, a `since`/`until`
    /// API time, a prune `until` (time or duration), `logs --since` as the client turns it into a time, and a
    /// `publish`/`expose` port filter.
    static func runFilters(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var values = [text]
        if let decoded = try? Filters.decode(text) {
            _ = (try? EventFilter(validating: decoded))?.matches(sampleEvent)
            _ = EventFilter(decoded).matches(sampleEvent)
            _ = NetworkFilter.matches(sampleNetwork, predefined: false, inUse: true, filters: decoded)
            _ = try? ImageFilters(decoded)
            _ = LabelFilter.matches(sampleLabels, decoded["label"] ?? [])
            for list in decoded.values { values += list }
        }
        for value in values {
            _ = LabelFilter.matches(sampleLabels, value)
            _ = APITime.nanoseconds(value)
            _ = try? APITime.untilSeconds(value, now: 1_700_000_000)
            _ = try? SpliceClient.Timestamp.unix(value, now: 1_700_000_000)
            _ = SpliceClient.Timestamp.ansic(value)
            _ = ContainerCreateOptions.portFilter(value, matches: "8080/tcp")
        }
    }
}
