extension ProgressMessage {
    /// A layer's byte progress as dockerd sends it: `progressDetail` and the preformatted bar
    /// (`[=====>     ]  32.77kB/300.3kB`, 50 columns, sizes as `units.HumanSize`).
    public static func progress(_ status: String, id: String, current: Int64, total: Int64?) -> ProgressMessage {
        var message = ProgressMessage(status: status, id: id)
        message.progressDetail = Detail(current: current, total: total)
        message.progress = bar(current: current, total: total)
        return message
    }

    /// The bar text; only the byte count when the total is unknown.
    public static func bar(current: Int64, total: Int64?) -> String {
        let done = HumanSize.decimal(current, digits: 4)
        guard let total, total > 0 else { return String(repeating: " ", count: max(0, 8 - done.count)) + done }
        let filled = min(50, Int(Double(current) / Double(total) * 100) / 2)
        let numbers = String(repeating: " ", count: max(0, 8 - done.count)) + done + "/"
            + HumanSize.decimal(total, digits: 4)
        return "[" + String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: 50 - filled) + "] "
            + numbers
    }

    /// A state line with an empty `progressDetail`, as dockerd sends `Pulling fs layer`.
    public static func state(_ status: String, id: String) -> ProgressMessage {
        var message = ProgressMessage(status: status, id: id)
        message.progressDetail = Detail()
        return message
    }
}
