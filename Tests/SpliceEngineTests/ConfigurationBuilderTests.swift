import SpliceImages
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

@Suite("Cmd/Entrypoint combination, env merge and defaults")
struct ConfigurationBuilderTests {
    typealias Case = (entrypoint: [String]?, cmd: [String]?, imageEntrypoint: [String]?, imageCmd: [String]?,
                      expected: [String])

    static let cases: [Case] = [
        // Nothing in the request: the image's entrypoint and cmd.
        (nil, nil, ["/entry"], ["default"], ["/entry", "default"]),
        // Request Cmd replaces the image's Cmd, keeps the image's entrypoint.
        (nil, ["echo", "hi"], ["/entry"], ["default"], ["/entry", "echo", "hi"]),
        (nil, ["echo", "hi"], nil, ["sh"], ["echo", "hi"]),
        // An empty request Cmd falls back to the image's.
        (nil, [], nil, ["sh"], ["sh"]),
        // A request entrypoint replaces the image's and drops the image's Cmd.
        (["/bin/date"], nil, ["/entry"], ["default"], ["/bin/date"]),
        (["/bin/echo"], ["a", "b"], ["/entry"], ["default"], ["/bin/echo", "a", "b"]),
        // --entrypoint "" resets the image's entrypoint; the Cmd is used alone.
        ([""], ["sleep", "1"], ["/entry"], ["default"], ["sleep", "1"]),
        ([], nil, ["/entry"], ["default"], ["default"]),
    ]

    @Test(arguments: 0..<cases.count)
    func commandRules(index: Int) throws {
        let item = Self.cases[index]
        let (entrypoint, cmd) = try ConfigurationBuilder.command(entrypoint: item.entrypoint, cmd: item.cmd,
                                                                 imageEntrypoint: item.imageEntrypoint,
                                                                 imageCmd: item.imageCmd)
        #expect(entrypoint + cmd == item.expected)
    }

    @Test func noCommandIsAnError() {
        #expect(throws: EngineError(.invalidArgument, "No command specified")) {
            try ConfigurationBuilder.command(entrypoint: nil, cmd: nil, imageEntrypoint: nil, imageCmd: nil)
        }
        #expect(throws: EngineError(.invalidArgument, "No command specified")) {
            try ConfigurationBuilder.command(entrypoint: [""], cmd: nil, imageEntrypoint: ["/e"], imageCmd: nil)
        }
    }

    @Test func environmentMergesByName() {
        let merged = ConfigurationBuilder.environment(image: ["PATH=/bin", "A=1", "B=2"], request: ["B=3", "C=4"])
        #expect(merged == ["PATH=/bin", "A=1", "B=3", "C=4"])
        let defaulted = ConfigurationBuilder.environment(image: [], request: ["X=y"])
        #expect(defaulted == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "X=y"])
    }

    @Test func defaultsFromRequestThenImage() throws {
        var image = SpliceImages.ContainerConfig()
        image.cmd = ["sh"]
        image.workingDir = "/srv"
        image.user = "daemon"
        image.env = ["A=1"]
        var request = ContainerCreateOptions(image: "bb")
        let id = String(repeating: "a", count: 64)
        var config = try ConfigurationBuilder.configuration(id: id, request: request, imageID: "sha256:x", image: image)
        #expect(config.workingDir == "/srv")
        #expect(config.user == "daemon")
        #expect(config.hostname == String(repeating: "a", count: 12))
        #expect(config.argv == ["sh"])
        request.workingDir = "/tmp"
        request.user = "1000:1000"
        request.hostname = "box"
        config = try ConfigurationBuilder.configuration(id: id, request: request, imageID: "sha256:x", image: image)
        #expect(config.workingDir == "/tmp")
        #expect(config.user == "1000:1000")
        #expect(config.hostname == "box")
        request.cmd = ["true"]
        let bare = try ConfigurationBuilder.configuration(id: id, request: request, imageID: "sha256:x", image: nil)
        #expect(bare.user == "1000:1000")
        #expect(bare.workingDir == "/tmp")
        #expect(bare.argv == ["true"])
    }

    @Test("a host-network or host-UTS container without -h takes the host's name, any other its short id")
    func hostnameFollowsTheUTSNamespace() throws {
        let id = String(repeating: "b", count: 64)
        var request = ContainerCreateOptions(image: "bb")
        request.cmd = ["true"]
        func hostname(_ request: ContainerCreateOptions) throws -> String {
            try ConfigurationBuilder.configuration(id: id, request: request, imageID: "sha256:x", image: nil,
                                                   hostHostname: "the-host").hostname
        }
        #expect(try hostname(request) == String(repeating: "b", count: 12))
        request.networkMode = "host"
        #expect(try hostname(request) == "the-host")
        request.networkMode = "bridge"
        request.utsMode = "host"
        #expect(try hostname(request) == "the-host")
    }

    @Test func ttyIsAcceptedAndRelativeWorkdirIsRefused() throws {
        var request = ContainerCreateOptions(image: "bb")
        request.cmd = ["sh"]
        request.tty = true
        #expect(try ConfigurationBuilder.configuration(id: "x", request: request, imageID: "i", image: nil).request.tty)
        request.tty = false
        request.workingDir = "relative"
        #expect(throws: EngineError.self) {
            try ConfigurationBuilder.configuration(id: "x", request: request, imageID: "i", image: nil)
        }
    }
}
