import JSONKit

/// One field of a spec document as `ContainerSpec.decode` reads it: the value (nil when the key is absent) and its
/// path, which every error names (`spec.rootfs.overlay.upper is missing`).
struct SpecField {
    let json: JSONValue?
    let path: String

    init(_ json: JSONValue?, path: String) {
        self.json = json
        self.path = path
    }

    /// The member `key` of this object (absent when this is not an object or has no such member).
    subscript(key: String) -> SpecField {
        SpecField(json?[key], path: path + "." + key)
    }

    /// The member `key` when it is present and not null.
    func optional(_ key: String) -> SpecField? {
        let field = self[key]
        guard let json = field.json, json != .null else { return nil }
        return field
    }

    func value() throws(RuntimeError) -> JSONValue {
        guard let json else { throw .invalidSpec("\(path) is missing") }
        return json
    }

    func string() throws(RuntimeError) -> String {
        guard case .string(let text) = try value() else { throw invalid("is not a string") }
        return text
    }

    func bool() throws(RuntimeError) -> Bool {
        guard case .bool(let flag) = try value() else { throw invalid("is not a boolean") }
        return flag
    }

    func integer<Number: FixedWidthInteger>(_ type: Number.Type) throws(RuntimeError) -> Number {
        guard case .number(let text) = try value(), let number = Number(text) else {
            throw invalid("is not an integer of its range")
        }
        return number
    }

    func array() throws(RuntimeError) -> [SpecField] {
        guard case .array(let items) = try value() else { throw invalid("is not an array") }
        return items.indices.map { SpecField(items[$0], path: "\(path)[\($0)]") }
    }

    func strings() throws(RuntimeError) -> [String] {
        try array().map { field throws(RuntimeError) in try field.string() }
    }

    func members() throws(RuntimeError) -> [(key: String, value: SpecField)] {
        guard case .object(let members) = try value() else { throw invalid("is not an object") }
        return members.map { ($0.key, SpecField($0.value, path: path + "." + $0.key)) }
    }

    /// An enum case as `JSONEncoder` writes it: an object of one member, the case's name, whose value holds the
    /// associated values.
    func enumCase() throws(RuntimeError) -> (name: String, value: SpecField) {
        let members = try members()
        guard members.count == 1, let only = members.first else { throw invalid("is not one enum case") }
        return (only.key, only.value)
    }

    func unknownCase(_ name: String) -> RuntimeError {
        .invalidSpec("\(path) has an unknown case \"\(name)\"")
    }

    func invalid(_ reason: String) -> RuntimeError {
        .invalidSpec("\(path) \(reason)")
    }
}
