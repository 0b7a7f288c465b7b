import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

@Suite("Container lookup by id, name and prefix")
struct ContainerLookupTests {
    let web = "abc123" + String(repeating: "0", count: 58)
    let db = "abd456" + String(repeating: "1", count: 58)
    let numeric = "fff999" + String(repeating: "2", count: 58)
    var names: [String: String] { [web: "web", db: "db", numeric: "abd"] }

    @Test func fullIDAndNames() throws {
        #expect(try ContainerLookup.resolve(web, in: names) == web)
        #expect(try ContainerLookup.resolve("db", in: names) == db)
        #expect(try ContainerLookup.resolve("/db", in: names) == db)
    }

    @Test func uniquePrefixes() throws {
        #expect(try ContainerLookup.resolve("abc", in: names) == web)
        #expect(try ContainerLookup.resolve("abd4", in: names) == db)
        #expect(try ContainerLookup.resolve("f", in: names) == numeric)
    }

    @Test func namesWinOverPrefixes() throws {
        // "abd" is both a prefix of db's id and the name of another container: the name wins, as in dockerd.
        #expect(try ContainerLookup.resolve("abd", in: names) == numeric)
    }

    @Test func ambiguousAndMissing() {
        #expect(throws: EngineError(.invalidArgument, "multiple IDs found with provided prefix: ab")) {
            try ContainerLookup.resolve("ab", in: names)
        }
        #expect(throws: EngineError.noSuchContainer("nope")) { try ContainerLookup.resolve("nope", in: names) }
        #expect(throws: EngineError.noSuchContainer("")) { try ContainerLookup.resolve("", in: names) }
    }
}
