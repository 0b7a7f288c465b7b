extension DeviceRule {
    /// Parses a `--device-cgroup-rule` text, `TYPE MAJOR:MINOR ACCESS` such as `c 1:3 mr` or `a *:* rwm`, with
    /// dockerd's error.
    public static func parseCgroupRule(_ text: String) throws(CgroupError) -> DeviceRule {
        let invalid = CgroupError.invalidArgument(
            option: "--device-cgroup-rule", message: "invalid device cgroup rule format: '\(text)'")
        let fields = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3, let kind = Kind(rawValue: fields[0]), isValidMode(fields[2]) else { throw invalid }
        let numbers = fields[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard numbers.count == 2 else { throw invalid }
        var parsed: [Int64?] = []
        for number in numbers {
            if number == "*" {
                parsed.append(nil)
            } else if !number.isEmpty, number.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(number) {
                parsed.append(value)
            } else {
                throw invalid
            }
        }
        return DeviceRule(kind: kind, major: parsed[0], minor: parsed[1], permissions: fields[2])
    }
}
