import Firewall
import SystemKit
import Testing

/// Published ports are map elements: the number of rules does not grow with the number of mappings.
@Suite("Renderer scale")
struct RendererScaleTests {
    /// 10,000 mappings on one bridge: 10,000 host ports spread over the four maps.
    static let manyMappings: [PortMapping] = (0..<10_000).map { index in
        let proto: PortMapping.`Protocol` = index % 2 == 0 ? .tcp : .udp
        let hostAddress: IPv4Address? = index % 4 < 2 ? nil : IPv4Address(192, 0, 2, 1)
        return PortMapping(
            proto: proto, hostAddress: hostAddress, hostPort: UInt16(20_000 + index),
            containerAddress: IPv4Address(10, 10, 0, UInt8(2 + index % 200)), containerPort: 80,
            bridge: "br-front")
    }

    /// The script for 10,000 mappings has exactly the rules of the script for none, plus four `add element` lines.
    @Test func tenThousandMappingsAreAConstantNumberOfRules() throws {
        let model = FirewallModel(networks: [Samples.front], portMappings: Self.manyMappings)
        try model.validate()
        let many = FirewallRenderer.script(for: model)
        let none = FirewallRenderer.script(for: FirewallModel(networks: [Samples.front]))
        let elementLines = many.split(separator: "\n").filter { $0.hasPrefix("add element ") }
        #expect(elementLines.count == 4)
        let ruleLines = many.split(separator: "\n").filter { !$0.hasPrefix("add element ") }
        #expect(ruleLines == none.split(separator: "\n"))
        #expect(many.split(separator: "\n").filter { $0.contains("dnat ip to") }.count == 4)
        let elements = elementLines.map { $0.split(separator: ",").count }.reduce(0, +)
        #expect(elements == 10_000)
    }

    /// Rendering is a pure function of the model.
    @Test func renderingIsDeterministic() {
        #expect(FirewallRenderer.script(for: Samples.both) == FirewallRenderer.script(for: Samples.both))
    }

    /// Every script starts by deleting exactly Splice's three tables, and touches no other table.
    @Test func scriptsNameOnlySpliceTables() {
        let script = FirewallRenderer.script(for: Samples.both)
        let tables = script.split(separator: "\n").filter { $0.hasPrefix("table ") || $0.hasPrefix("delete table ") }
            .map { $0.replacing("delete ", with: "").replacing(" {}", with: "").replacing(" {", with: "") }
        #expect(Set(tables) == ["table inet splice", "table ip splice-nat", "table bridge splice"])
        #expect(FirewallRenderer.removalScript.hasPrefix("table inet splice {}\ndelete table inet splice\n"))
    }
}
