import Testing
@testable import SpliceClient

@Suite("Go-template evaluation")
struct TemplateTests {
    static let document = #"""
        {"Id":"b3672ed9","Name":"/cap_main","State":{"Pid":8185,"Running":true},
         "Config":{"Env":["A=1","B=2"],"Tty":false,"Labels":{}},
         "NetworkSettings":{"IPAddress":"172.17.0.3","Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"18080"}]}}}
        """#

    static let cases: [(String, String)] = [
        ("{{.State.Pid}}", "8185"),
        ("{{ .State.Pid }}", "8185"),
        ("{{.NetworkSettings.IPAddress}}", "172.17.0.3"),
        ("{{.Name}}", "/cap_main"),
        ("pid={{.State.Pid}} running={{.State.Running}}", "pid=8185 running=true"),
        ("{{json .Config}}", #"{"Env":["A=1","B=2"],"Tty":false,"Labels":{}}"#),
        ("{{json .State}}", #"{"Pid":8185,"Running":true}"#),
        ("{{.Config.Env}}", "[A=1 B=2]"),
        ("{{join .Config.Env \",\"}}", "A=1,B=2"),
        ("{{index .Config.Env 1}}", "B=2"),
        ("{{(index (index .NetworkSettings.Ports \"8080/tcp\") 0).HostPort}}", "error"),
        ("{{.Missing}}", "<no value>"),
        ("{{.Name | upper}}", "/CAP_MAIN"),
        ("{{len .Config.Env}}", "2"),
    ]

    @Test(arguments: cases)
    func evaluate(template: String, expected: String) throws {
        let value = try JSONValue.parse(Array(Self.document.utf8))
        if expected == "error" {
            #expect(throws: ClientError.self) { try GoTemplate(template).render(value) }
        } else {
            #expect(try GoTemplate(template).render(value) == expected)
        }
    }

    @Test func wholeDocument() throws {
        let value = try JSONValue.parse(Array(#"{"a":[1,"x"],"b":null}"#.utf8))
        #expect(try GoTemplate("{{json .}}").render(value) == #"{"a":[1,"x"],"b":null}"#)
        #expect(try GoTemplate("{{.b}}").render(value) == "<nil>")
    }

    @Test func badTemplates() {
        #expect(throws: ClientError.self) { try GoTemplate("{{.State") }
        #expect(throws: ClientError.self) { try GoTemplate("{{nosuchfunc .X}}").render(.object([])) }
    }
}
