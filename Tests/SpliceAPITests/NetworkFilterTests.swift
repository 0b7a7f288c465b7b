import DockerModels
import SpliceAPI
import Testing

/// `GET /networks` filters as dockerd applies them (`docker-engine-api-networks.md` 3.2).
@Suite struct NetworkFilterTests {
    private func network(_ name: String, id: String, driver: String = "bridge", labels: [String: String] = [:])
        -> NetworkResource
    {
        var resource = NetworkResource()
        resource.Name = name
        resource.Id = id
        resource.Driver = driver
        resource.Labels = labels
        return resource
    }

    private var all: [(NetworkResource, Bool, Bool)] {
        [(network("bridge", id: "aa01"), true, true), (network("host", id: "bb02", driver: "host"), true, false),
         (network("none", id: "cc03", driver: "null"), true, false),
         (network("cap-pyn", id: "dd04", labels: ["cap": "py"]), false, true),
         (network("cap-pyn2", id: "ee05", labels: ["cap": "py", "x": "1"]), false, false)]
    }

    private func names(_ filters: [String: [String]]) -> [String] {
        all.filter { NetworkFilter.matches($0.0, predefined: $0.1, inUse: $0.2, filters: filters) }.map(\.0.Name)
    }

    @Test func nameIsASubstringAndIDAPrefix() {
        #expect(names(["name": ["cap-pyn"]]) == ["cap-pyn", "cap-pyn2"])
        #expect(names(["id": ["dd"]]) == ["cap-pyn"])
        #expect(names(["id": ["04"]]) == [])
    }

    /// dockerd reads a name filter as a regular expression too: `^name$` is the scripts' idiom for one network.
    @Test func nameIsARegularExpressionAsInDockerd() {
        #expect(names(["name": ["^cap-pyn$"]]) == ["cap-pyn"])
        #expect(names(["name": ["^(bridge|host)$"]]) == ["bridge", "host"])
        #expect(names(["name": ["pyn[0-9]"]]) == ["cap-pyn2"])
        #expect(names(["name": ["^no$"]]) == [])
        // Not a valid expression: equality only, no error.
        #expect(names(["name": ["cap-pyn("]]) == [])
        #expect(FilterPattern.matches("a(", "a("))
    }

    @Test func driverIncludesTheDefaultBridgeAndTypeSplitsBuiltins() {
        #expect(names(["driver": ["bridge"]]) == ["bridge", "cap-pyn", "cap-pyn2"])
        #expect(names(["type": ["custom"]]) == ["cap-pyn", "cap-pyn2"])
        #expect(names(["type": ["builtin"]]) == ["bridge", "host", "none"])
    }

    @Test func labelsAreANDedAndDanglingMeansUnusedCustom() {
        #expect(names(["label": ["cap=py"]]) == ["cap-pyn", "cap-pyn2"])
        #expect(names(["label": ["cap=py", "x"]]) == ["cap-pyn2"])
        #expect(names(["dangling": ["true"]]) == ["cap-pyn2"])
        #expect(names(["scope": ["local"]]).count == 5)
        #expect(names(["scope": ["swarm"]]).isEmpty)
    }
}
