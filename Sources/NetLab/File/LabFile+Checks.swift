import Yams

extension LabFile {
    /// The check kinds a `tests` entry may name.
    static let checkKinds = [
        "reach", "no-reach", "tcp", "no-tcp", "http", "dns", "throughput", "route", "fdb", "steps",
    ]

    static func parseCheck(_ node: Node) throws(LabError) -> CheckSpec {
        let entry = try YAMLMap(node, section: "test")
        try entry.checkKeys(checkKinds + ["within"])
        let kinds = entry.pairs.filter { $0.key != "within" }
        guard kinds.count == 1, let kind = kinds.first else {
            throw .invalid(
                line: entry.line, message: "a test names exactly one of: \(checkKinds.joined(separator: ", "))")
        }
        let within = try entry.double("within")
        let budget = within ?? 10
        if kind.key == "steps" {
            guard let sequence = kind.value.sequence else {
                throw .invalid(line: kind.line, message: "steps must be a list")
            }
            var steps: [StepSpec] = []
            for item in sequence { steps.append(try parseStep(item)) }
            return CheckSpec(kind: .steps(steps), budget: budget, waits: within != nil, line: kind.line)
        }
        let map = try YAMLMap(kind.value, section: "test '\(kind.key)'")
        let parsed: CheckSpec.Kind
        switch kind.key {
        case "reach", "no-reach":
            try map.checkKeys(["from", "to", "count", "size", "df"])
            parsed = .reach(
                from: try map.required("from"), to: try map.required("to"), count: try map.int("count") ?? 2,
                size: try map.int("size"), dontFragment: try map.bool("df") ?? false,
                expect: kind.key == "reach")
        case "tcp", "no-tcp":
            try map.checkKeys(["from", "to", "port"])
            guard let port = try map.int("port") else {
                throw .invalid(line: map.line, message: "tcp: 'port' is required")
            }
            parsed = .tcp(
                from: try map.required("from"), to: try map.required("to"), port: port, expect: kind.key == "tcp")
        case "http":
            try map.checkKeys(["from", "to", "port", "path", "contains"])
            parsed = .http(
                from: try map.required("from"), to: try map.required("to"), port: try map.int("port") ?? 80,
                path: try map.string("path") ?? "/", contains: try map.string("contains") ?? "")
        case "dns":
            try map.checkKeys(["from", "name", "address", "absent"])
            parsed = .dns(
                from: try map.required("from"), name: try map.required("name"),
                address: try map.string("address"), expect: !(try map.bool("absent") ?? false))
        case "throughput":
            try map.checkKeys(["from", "to", "address", "min-mbps", "max-mbps", "seconds"])
            parsed = .throughput(
                from: try map.required("from"), to: try map.required("to"), address: try map.string("address"),
                floorMbps: try map.double("min-mbps") ?? 1, ceilingMbps: try map.double("max-mbps"), seconds: try map.int("seconds") ?? 2)
        case "route":
            try map.checkKeys(["host", "to", "via", "absent"])
            parsed = .route(
                host: try map.required("host"), destination: try map.required("to"),
                via: try map.string("via"), expect: !(try map.bool("absent") ?? false))
        default:
            try map.checkKeys(["host", "mac", "node", "dst", "absent"])
            let mac = try map.string("mac")
            let node = try map.string("node")
            guard (mac == nil) != (node == nil) else {
                throw .invalid(line: map.line, message: "fdb: give one of 'mac' or 'node'")
            }
            parsed = .fdb(
                host: try map.required("host"), mac: mac, node: node, dst: try map.string("dst"),
                expect: !(try map.bool("absent") ?? false))
        }
        return CheckSpec(kind: parsed, budget: budget, waits: within != nil, line: kind.line)
    }

    static func parseStep(_ node: Node) throws(LabError) -> StepSpec {
        let map = try YAMLMap(node, section: "step")
        let allowed = [
            "link-down", "link-up", "kill-spliced", "start-spliced", "leave-host", "rejoin-host", "stop-etcd",
            "start-etcd", "wait", "host-exec", "node-exec",
        ]
        try map.checkKeys(allowed)
        guard map.pairs.count == 1, let step = map.pairs.first else {
            throw .invalid(line: map.line, message: "a step names exactly one of: \(allowed.joined(separator: ", "))")
        }
        switch step.key {
        case "link-down": return .linkDown(try map.required("link-down"))
        case "link-up": return .linkUp(try map.required("link-up"))
        case "kill-spliced": return .killEngine(host: try map.required("kill-spliced"))
        case "start-spliced": return .startEngine(host: try map.required("start-spliced"))
        case "leave-host": return .leaveHost(host: try map.required("leave-host"))
        case "rejoin-host": return .rejoinHost(host: try map.required("rejoin-host"))
        case "stop-etcd": return .stopStore(member: try map.required("stop-etcd"))
        case "start-etcd": return .startStore(member: try map.required("start-etcd"))
        case "wait":
            guard let seconds = try map.double("wait") else {
                throw .invalid(line: step.line, message: "wait: seconds")
            }
            return .wait(seconds: seconds)
        case "host-exec", "node-exec":
            let target = try YAMLMap(step.value, section: step.key)
            try target.checkKeys([step.key == "host-exec" ? "host" : "node", "cmd"])
            let command = try target.required("cmd")
            return step.key == "host-exec"
                ? .hostExec(host: try target.required("host"), command: command)
                : .nodeExec(node: try target.required("node"), command: command)
        default: throw .invalid(line: step.line, message: "unknown step '\(step.key)'")
        }
    }
}
