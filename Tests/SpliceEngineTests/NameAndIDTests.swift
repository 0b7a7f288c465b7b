import Testing
@testable import SpliceEngine

@Suite("Container names and ids")
struct NameAndIDTests {
    @Test func generatedNamesAreAdjectiveUnderscoreSurname() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<200 {
            let name = NameGenerator.random(using: &generator)
            let parts = name.split(separator: "_").map(String.init)
            #expect(parts.count == 2)
            #expect(NameGenerator.adjectives.contains(parts[0]))
            #expect(NameGenerator.surnames.contains(parts[1]))
            #expect(name != "boring_wozniak")
            #expect(NameGenerator.isValid(name))
        }
    }

    @Test func uniqueNamesAvoidTakenOnes() {
        var generator = SeededGenerator(state: 7)
        var taken: Set<String> = []
        for _ in 0..<500 {
            let name = NameGenerator.unique(avoiding: taken, using: &generator)
            #expect(!taken.contains(name))
            taken.insert(name)
        }
    }

    @Test(arguments: [("web", true), ("a1", true), ("my_app.v2-x", true), ("x", false), ("-web", false),
                      ("_web", false), ("we b", false), ("web/1", false), ("", false)])
    func nameValidation(name: String, valid: Bool) {
        #expect(NameGenerator.isValid(name) == valid)
    }

    @Test func idsAre64LowercaseHexAndNotAllDigits() {
        var seen: Set<String> = []
        for _ in 0..<100 {
            let id = ContainerID.random()
            #expect(ContainerID.isFull(id))
            #expect(id.contains { $0 >= "a" && $0 <= "f" })
            seen.insert(id)
        }
        #expect(seen.count == 100)
        #expect(!ContainerID.isFull("ABC"))
        #expect(!ContainerID.isFull(String(repeating: "g", count: 64)))
    }
}
