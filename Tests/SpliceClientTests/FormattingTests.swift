import DockerModels
import Foundation
import Testing
@testable import SpliceClient

@Suite("Output formats from the captures")
struct FormattingTests {
    static let imagesJSON = """
        [{"Containers":-1,"Created":1795972565,"Id":"sha256:cd100aa9d77788f185db4d8e3d2c1ec889cbef7990657765d462eb41849c04b1","Labels":null,"ParentId":"","RepoDigests":["127.0.0.1:5000/bb@sha256:fdd4e2262bce37400d34504883f0f2224fa1124b2e4ee1b95ccffbce0f2ecd9a"],"RepoTags":["127.0.0.1:5000/bb:latest","bb:latest"],"SharedSize":-1,"Size":1984132,"VirtualSize":1984132},{"Containers":-1,"Created":1795972558,"Id":"sha256:6b962357ea8d0616e6e64a1f13bbcad1551724cf715f090de569de8c944b3c80","Labels":null,"ParentId":"","RepoDigests":["<none>@<none>"],"RepoTags":["<none>:<none>"],"SharedSize":-1,"Size":1883,"VirtualSize":1883}]
        """

    @Test func imagesCapture() throws {
        let images = try JSONDecoder().decode([ImageSummary].self, from: Data(Self.imagesJSON.utf8))
        let text = ImageTable.render(images, now: 1_795_972_565 + 150, quiet: false, truncate: true)
        #expect(text == """
            REPOSITORY          TAG       IMAGE ID       CREATED         SIZE
            127.0.0.1:5000/bb   latest    cd100aa9d777   2 minutes ago   1.98MB
            bb                  latest    cd100aa9d777   2 minutes ago   1.98MB
            <none>              <none>    6b962357ea8d   2 minutes ago   1.88kB

            """)
    }

    @Test func psFilterStatusCapture() throws {
        func summary(_ id: String, _ command: String, _ created: Int64, _ status: String, _ name: String) -> ContainerSummary {
            var container = ContainerSummary()
            container.Id = id
            container.Image = "bb:latest"
            container.Command = command
            container.Created = created
            container.Status = status
            container.Names = ["/" + name]
            return container
        }
        let now: Int64 = 1_795_972_922 + 16
        let rows = [
            summary("01db8929afe121e9", "sh -c 'sleep 2; exit 7'", 1_795_972_922, "Exited (7) 13 seconds ago", "cap_waiter"),
            summary("2060212a2e7e3ce0", "cat", now - 150, "Exited (0) 2 minutes ago", "cap_cat"),
        ]
        #expect(ContainerTable.render(rows, now: now, quiet: false, truncate: true) == """
            CONTAINER ID   IMAGE       COMMAND                  CREATED          STATUS                      PORTS     NAMES
            01db8929afe1   bb:latest   "sh -c 'sleep 2; exi…"   16 seconds ago   Exited (7) 13 seconds ago             cap_waiter
            2060212a2e7e   bb:latest   "cat"                    2 minutes ago    Exited (0) 2 minutes ago              cap_cat

            """)
    }

    @Test func ports() {
        let ports: [ContainerSummary.Port] = [
            .init(IP: "::", PrivatePort: 9090, PublicPort: 32768, Type: "tcp"),
            .init(IP: "0.0.0.0", PrivatePort: 9090, PublicPort: 32768, Type: "tcp"),
            .init(PrivatePort: 80, Type: "tcp"),
        ]
        #expect(ContainerTable.ports(ports) == "80/tcp, 0.0.0.0:32768->9090/tcp, [::]:32768->9090/tcp")
    }

    static let durations: [(Int64, String)] = [
        (0, "Less than a second"), (1, "1 second"), (58, "58 seconds"), (60, "About a minute"),
        (119, "About a minute"), (150, "2 minutes"), (3600, "About an hour"), (7200, "2 hours"),
        (86400 * 3, "3 days"), (86400 * 20, "2 weeks"), (86400 * 90, "3 months"), (86400 * 800, "2 years"),
    ]

    @Test(arguments: durations)
    func humanDuration(seconds: Int64, text: String) {
        #expect(HumanUnits.duration(seconds: seconds) == text)
    }

    static let sizes: [(Int64, String)] = [(1_984_132, "1.98MB"), (1883, "1.88kB"), (5_000_000, "5MB"), (999, "999B"),
                                           (123_456_789, "123MB"), (0, "0B")]

    @Test(arguments: sizes)
    func humanSize(bytes: Int64, text: String) {
        #expect(HumanUnits.size(bytes) == text)
    }

    @Test func topUsesWidth20() {
        var table = TableWriter(minWidth: 20)
        table.append(["UID", "PID", "CMD"])
        table.append(["root", "13747", "sleep 1"])
        #expect(table.render() == "UID                 PID                 CMD\nroot                13747               sleep 1\n")
    }

    @Test func inspectIndentation() throws {
        let value = try JSONValue.parse(Array(#"[{"Id":"x","Args":[],"State":{"Pid":8185,"Running":true},"Cmd":"a>&b"}]"#.utf8))
        #expect(value.indentedText == """
            [
                {
                    "Id": "x",
                    "Args": [],
                    "State": {
                        "Pid": 8185,
                        "Running": true
                    },
                    "Cmd": "a>&b"
                }
            ]
            """)
    }
}
