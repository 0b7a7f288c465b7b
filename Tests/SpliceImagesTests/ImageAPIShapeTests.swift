import DockerModels
import Foundation
import SpliceImages
import Testing

/// The image store's run defaults in the API's types: every field carried, in the JSON the API sent when the store
/// had its own copies of these types and the daemon converted them by encoding and decoding.
@Suite struct ImageAPIShapeTests {
    /// An image config with every field set.
    static var fullConfig: SpliceImages.ContainerConfig {
        var config = SpliceImages.ContainerConfig()
        config.user = "app:staff"
        config.exposedPorts = ["80/tcp": .init(), "53/udp": .init()]
        config.env = ["PATH=/bin", "A=b"]
        config.entrypoint = ["/init"]
        config.cmd = ["serve", "--port", "80"]
        config.volumes = ["/data": .init()]
        config.workingDir = "/srv"
        config.labels = ["a": "1", "b": "2"]
        config.stopSignal = "SIGQUIT"
        var check = SpliceImages.ContainerConfig.Healthcheck(test: ["CMD-SHELL", "true"])
        check.interval = 1_000_000_000
        check.timeout = 2
        check.startPeriod = 3
        check.startInterval = 4
        check.retries = 5
        config.healthcheck = check
        config.onBuild = ["RUN true"]
        config.shell = ["/bin/bash", "-c"]
        return config
    }

    /// The API's encoding (sorted keys, as the server sends).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func inspectConfigKeepsEveryField() throws {
        // Captured from the former encode-and-decode conversion for the same config.
        let expected = #"{"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":["serve","--port","80"],"#
            + #""Domainname":"","Entrypoint":["/init"],"Env":["PATH=/bin","A=b"],"#
            + #""ExposedPorts":{"53/udp":{},"80/tcp":{}},"Healthcheck":{"Interval":1000000000,"Retries":5,"#
            + #""StartInterval":4,"StartPeriod":3,"Test":["CMD-SHELL","true"],"Timeout":2},"Hostname":"","Image":"","#
            + #""Labels":{"a":"1","b":"2"},"OnBuild":["RUN true"],"OpenStdin":false,"StdinOnce":false,"#
            + #""StopSignal":"SIGQUIT","Tty":false,"User":"app:staff","Volumes":{"/data":{}},"WorkingDir":"/srv"}"#
        #expect(try Self.json(DockerModels.ContainerConfig(image: Self.fullConfig)) == expected)
    }

    @Test func inspectConfigOfNothing() throws {
        let expected = #"{"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Domainname":"","#
            + #""Entrypoint":null,"Hostname":"","Image":"","OnBuild":null,"OpenStdin":false,"StdinOnce":false,"#
            + #""Tty":false,"User":"","Volumes":null,"WorkingDir":""}"#
        #expect(try Self.json(DockerModels.ContainerConfig(image: nil)) == expected)
        #expect(try Self.json(DockerModels.ContainerConfig(image: SpliceImages.ContainerConfig())) == expected)
    }

    @Test func commitConfigKeepsWhatTheImageStores() throws {
        var api = DockerModels.ContainerConfig(image: Self.fullConfig)
        api.Hostname = "box"
        api.Tty = true
        api.StopTimeout = 3
        // The former conversion: the API's encoding decoded as the image config.
        let decoded = try JSONDecoder().decode(SpliceImages.ContainerConfig.self, from: JSONEncoder().encode(api))
        var expected = Self.fullConfig
        expected.shell = nil
        #expect(decoded == expected)
        #expect(SpliceImages.ContainerConfig(api) == expected)
    }

    @Test func commitHealthcheckWithoutTestIsLeftOut() {
        var api = DockerModels.ContainerConfig()
        api.Healthcheck = HealthConfig()
        api.Cmd = ["sh"]
        let config = SpliceImages.ContainerConfig(api)
        #expect(config.healthcheck == nil)
        #expect(config.cmd == ["sh"])
    }
}
