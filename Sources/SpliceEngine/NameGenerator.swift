/// Docker-style container names, `adjective_surname`, with a number appended on collision.
public enum NameGenerator {
    static let adjectives = [
        "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "boring",
        "brave", "busy", "charming", "clever", "cool", "compassionate", "competent", "confident", "cranky", "crazy",
        "dazzling", "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
        "eloquent", "epic", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "gallant", "gifted",
        "goofy", "gracious", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring",
        "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying",
        "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic",
        "pensive", "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent", "romantic", "sad",
        "serene", "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
        "thirsty", "trusting", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial",
        "youthful", "zealous", "zen",
    ]
    static let surnames = [
        "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin", "babbage",
        "banach", "bardeen", "bartik", "bassi", "bell", "bhabha", "bhaskara", "blackwell", "bohr", "booth", "borg",
        "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "chandrasekhar", "clarke", "colden", "cori",
        "cray", "curie", "darwin", "davinci", "dijkstra", "dubinsky", "easley", "einstein", "elion", "engelbart",
        "euclid", "euler", "fermat", "fermi", "feynman", "franklin", "galileo", "gates", "goldberg", "goldstine",
        "goldwasser", "golick", "goodall", "hamilton", "hawking", "heisenberg", "hermann", "hodgkin", "hoover",
        "hopper", "hugle", "hypatia", "jang", "jennings", "jepsen", "joliot", "jones", "kalam", "kapitsa", "keller",
        "kepler", "khorana", "kilby", "kirch", "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey",
        "leavitt", "lewin", "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "mayer", "mccarthy",
        "mcclintock", "mclean", "meitner", "mendel", "mestorf", "mirzakhani", "montalcini", "morse", "murdock",
        "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether", "northcutt", "noyce", "panini",
        "pare", "pasteur", "payne", "perlman", "pike", "poincare", "poitras", "ptolemy", "raman", "ramanujan",
        "ride", "ritchie", "roentgen", "rosalind", "saha", "sammet", "shamir", "shannon", "shaw", "shirley",
        "shockley", "sinoussi", "snyder", "spence", "stallman", "stonebraker", "swanson", "swartz", "swirles",
        "tesla", "thompson", "torvalds", "turing", "varahamihira", "visvesvaraya", "volhard", "wescoff", "wiles",
        "williams", "wilson", "wing", "wozniak", "wright", "yalow", "yonath",
    ]

    /// A random `adjective_surname` (never `boring_wozniak`, as in Docker).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        while true {
            let adjective = adjectives.randomElement(using: &generator) ?? "happy"
            let surname = surnames.randomElement(using: &generator) ?? "turing"
            let name = adjective + "_" + surname
            if name != "boring_wozniak" { return name }
        }
    }

    /// A name not in `taken`: a random one, then with a random digit suffix after collisions.
    public static func unique<G: RandomNumberGenerator>(avoiding taken: Set<String>, using generator: inout G) -> String {
        for attempt in 0..<1000 {
            var name = random(using: &generator)
            if attempt > 0 { name += String(Int.random(in: 0..<10, using: &generator)) }
            if !taken.contains(name) { return name }
        }
        return "splice_" + ContainerID.random(using: &generator).prefix(12)
    }

    /// Whether `name` is a valid container name: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 2 else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
        }
        guard alphanumeric(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "-") }
    }
}
