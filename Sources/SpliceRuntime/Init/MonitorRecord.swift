import JSONKit

/// What the monitor writes for the engine (`state.json`, `exit.json`, its report), as JSONKit documents in the
/// shape `JSONEncoder` gives these `Codable` types (absent optionals left out), which the engine decodes. The
/// monitor is a new process for every start, where `JSONEncoder` first instantiates the generic metadata of its
/// containers: some 0.3 ms of every start and exit, spent before the start is answered and before the exit is seen.
protocol MonitorRecord {
    /// The record as a JSON document.
    var json: JSONValue { get }
}

extension MonitorRecord {
    /// The document's compact UTF-8 text.
    var jsonBytes: [UInt8] { Array(json.compactText.utf8) }

    /// A member for `value`, or none when it is nil.
    static func member(_ key: String, _ value: Int32?) -> [JSONValue.Member] {
        value.map { [JSONValue.Member(key, .number(String($0)))] } ?? []
    }

    /// A member for `value`, or none when it is nil.
    static func member(_ key: String, _ value: String?) -> [JSONValue.Member] {
        value.map { [JSONValue.Member(key, .string($0))] } ?? []
    }
}

extension RunningContainer: MonitorRecord {
    var json: JSONValue {
        .object(Self.member("monitorPid", monitorPid) + Self.member("containerPid", containerPid)
            + Self.member("stateDirectory", stateDirectory))
    }
}

extension ContainerExit: MonitorRecord {
    var json: JSONValue {
        .object(Self.member("exitCode", exitCode) + Self.member("signal", signal)
            + Self.member("finishedAt", finishedAt) + Self.member("error", error))
    }
}

extension InitReport: MonitorRecord {
    var json: JSONValue {
        .object(Self.member("monitorPid", monitorPid) + Self.member("containerPid", containerPid)
            + Self.member("error", error) + Self.member("startFailure", startFailure))
    }
}
