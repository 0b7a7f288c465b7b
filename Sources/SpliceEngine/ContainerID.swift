/// Container ids: 64 random lowercase hex digits.
public enum ContainerID {
    /// A new random id that is not all digits (so it never reads as a number, as in Docker).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let digits = Array("0123456789abcdef")
        while true {
            var id = ""
            for _ in 0..<32 {
                let byte = UInt8.random(in: 0...255, using: &generator)
                id.append(digits[Int(byte >> 4)])
                id.append(digits[Int(byte & 15)])
            }
            if id.contains(where: { $0 >= "a" }) { return id }
        }
    }

    /// A new random id from the system generator.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Whether `text` is 64 lowercase hex digits.
    public static func isFull(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
