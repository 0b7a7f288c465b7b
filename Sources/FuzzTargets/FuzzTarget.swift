#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DockerModels
import JSONKit
import NetlinkKit
import SpliceClient
import SpliceNet
import SplicePipework
import SystemKit

/// The parsers that take bytes or text from outside (the kernel, the network, a user), each as one function of
/// arbitrary bytes that must return, whatever the bytes, without trapping. libFuzzer drives them through
/// `splice-fuzz` (`benchmarks/fuzz.sh`); the test suite replays the committed corpus (`fuzz/corpus/NAME/`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The one JSON reader (`JSONValue.decode`, `decodeSequence`).
    case json
    /// Netlink datagrams: split into messages, each payload decoded as link, address, route and neighbour.
    case netlink
    /// `-p` port specs.
    case portspec
    /// IPv4/IPv6 addresses, networks (CIDRs) and MAC addresses.
    case address
    /// The Go-template engine of `--format`, parsed and rendered over a container-like object.
    case template
    /// pipework's argument parser and its batch lines (NUL-separated arguments).
    case pipework
    /// DHCP messages as pipework's client receives them.
    case dhcp
    /// The API's JSON bodies (container create, network create, exec) through `JSONDecoder`.
    case bodies
    /// HTTP/1.1 requests as the API server decodes and routes them (request line, headers, Content-Length and
    /// chunked bodies, the version prefix, percent-decoding, the query and the route table).
    case http
    /// `filters=` JSON, label filters and `since`/`until` times and durations.
    case filters
    /// Tar archives through `docker cp`'s extractor, the layer unpacker, `docker load` and `docker import`.
    case tar

    /// The fixed object templates render over.
    static let templateRoot: JSONValue = (try? JSONValue.decode(Array(#"""
        {"Id":"abc","Names":["/a"],"State":{"Running":true,"Pid":7},"Labels":{"k":"v"},"Ports":[{"PrivatePort":80}],
         "Config":{"Env":["A=1"],"Cmd":["sh","-c","x"]},"Size":12.5,"Null":null}
        """#.utf8))) ?? .null

    /// Feeds `bytes` to the target's parser; errors are expected answers, only a trap is a finding.
    public func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .json:
            _ = try? JSONValue.decode(bytes)
            _ = try? JSONValue.decodeSequence(bytes)
        case .netlink:
            guard let messages = try? NetlinkMessage.split(bytes) else { return }
            for message in messages {
                _ = try? Link(decoding: message.payload)
                _ = try? Address(decoding: message.payload)
                _ = try? Route(decoding: message.payload)
                _ = try? Neighbour(decoding: message.payload)
            }
        case .portspec:
            _ = try? PortSpecParser.parse(text)
        case .address:
            _ = IPAddress(text)
            _ = IPNetwork(text)
            _ = MACAddress(text)
        case .template:
            guard let template = try? GoTemplate(text) else { return }
            _ = try? template.render(Self.templateRoot)
        case .pipework:
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            _ = try? PipeworkParser.parse(arguments)
            _ = try? PipeworkParser.parseBatchLine(text)
        case .dhcp:
            _ = try? DHCPMessage(decoding: bytes)
        case .bodies:
            let data = Data(bytes)
            let decoder = JSONDecoder()
            _ = try? decoder.decode(ContainerCreateRequest.self, from: data)
            _ = try? decoder.decode(NetworkCreateRequest.self, from: data)
            _ = try? decoder.decode(ExecConfig.self, from: data)
        case .http:
            Self.runHTTP(bytes)
        case .filters:
            Self.runFilters(bytes)
        case .tar:
            Self.runTar(bytes)
        }
    }
}
