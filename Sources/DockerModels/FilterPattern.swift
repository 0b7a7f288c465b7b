/// How dockerd matches a `name` filter value (`filters.Args.Match`): the value equals the name, or, read as a
/// regular expression, matches part of it. So `name=web` finds `web` and `myweb2`, and `name=^web$` only `web`
/// (the idiom scripts use for one container, network or volume). A value that is not a valid expression only
/// matches by equality, as in dockerd.
public enum FilterPattern {
    /// Whether filter value `pattern` matches `source` as dockerd's `Match` does.
    public static func matches(_ pattern: String, _ source: String) -> Bool {
        if pattern == source { return true }
        guard let expression = try? Regex(pattern) else { return false }
        return source.contains(expression)
    }
}
