import Testing
import struct EngineErrors.EngineError
@testable import SpliceAPI

@Suite("Routing rules")
struct RoutingTests {
    @Test("version prefix is optional and parsed numerically")
    func versionPrefix() {
        #expect(Router.splitVersion("/v1.41/containers/json").version == "1.41")
        #expect(Router.splitVersion("/v1.41/containers/json").rest == "/containers/json")
        #expect(Router.splitVersion("/_ping").version == nil)
        #expect(Router.splitVersion("/volumes/x").version == nil)
        #expect(Router.splitVersion("/v1.41").rest == "/")
        #expect(APIVersion("1.9").map { $0 < APIVersion.minimum } == true)
        #expect(APIVersion("1.100").map { $0 > APIVersion.maximum } == true)
        #expect(APIVersion("1.x") == nil)
    }

    @Test("names between the collection prefix and the fixed suffix may hold slashes and colons")
    func namesWithSlashes() {
        #expect(RoutePattern("/images/{name}/push").match("/images/127.0.0.1:5000/bb/push") == "127.0.0.1:5000/bb")
        #expect(RoutePattern("/containers/{name}").match("/containers/a/web") == "a/web")
        #expect(RoutePattern("/containers/{name}/json").match("/containers/127.0.0.1:5000/x:tag/json")
            == "127.0.0.1:5000/x:tag")
        #expect(RoutePattern("/containers/{name}/json").match("/containers/json") == nil)
        #expect(RoutePattern("/containers/json").match("/containers/json") == "")
        #expect(RoutePattern("/images/{name}").match("/images/") == nil)
    }

    @Test("query booleans follow dockerd", arguments: [
        ("1", true), ("true", true), ("True", true), ("-1", true), ("yes", true),
        ("0", false), ("", false), ("false", false), ("False", false), ("no", false), ("none", false), ("NONE", false),
    ])
    func booleans(value: String, expected: Bool) {
        #expect(QueryParameters(Substring("all=\(value)")).bool("all") == expected)
    }

    @Test("query values are percent-decoded, + is a space, keys repeat")
    func queryDecoding() throws {
        let query = QueryParameters("ps_args=-o+pid%2Ccomm&names=A&names=B&repo=127.0.0.1%3A5000%2Fbb&flag")
        #expect(query.string("ps_args") == "-o pid,comm")
        #expect(query.strings("names") == ["A", "B"])
        #expect(query.string("repo") == "127.0.0.1:5000/bb")
        #expect(query.string("flag") == "")
        #expect(query.bool("missing") == false)
        #expect(try QueryParameters("limit=-1").int("limit") == -1)
        #expect(throws: EngineError.self) { try QueryParameters("t=ten").int("t") }
    }

    @Test("filters: the map form, the list form and docker-py's spacing")
    func filters() throws {
        #expect(try Filters.decode(#"{"dangling":{"true":true}}"#) == ["dangling": ["true"]])
        #expect(try Filters.decode(#"{"reference":{"bb":true,"x":false}}"#) == ["reference": ["bb"]])
        #expect(try Filters.decode(#"{"name": ["cap_py"]}"#) == ["name": ["cap_py"]])
        #expect(try Filters.decode(#"{"status":["exited","created"],"label":{"a=b":true}}"#)
            == ["status": ["exited", "created"], "label": ["a=b"]])
        #expect(try Filters.decode("") == [:])
        #expect(try Filters.decode("{}") == [:])
        let events = QueryParameters("filters=%7B%22container%22%3A%7B%22cap_ev%22%3Atrue%7D%7D")
        #expect(try events.filters() == ["container": ["cap_ev"]])
        #expect(throws: EngineError(.invalidArgument, "invalid filter: {nope")) { try Filters.decode("{nope") }
    }

    @Test("engine errors map to Docker's statuses")
    func errorStatuses() {
        #expect(EngineError(.notFound, "").httpStatus.code == 404)
        #expect(EngineError(.conflict, "").httpStatus.code == 409)
        #expect(EngineError(.invalidArgument, "").httpStatus.code == 400)
        #expect(EngineError(.internal, "").httpStatus.code == 500)
        #expect(EngineError(.unavailable, "").httpStatus.code == 503)
    }
}
