/// A span of time as an operator writes it on a command line: `24h`, `30m`, `90s` or `7d`.
struct Interval: CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(_ argument: String) {
        guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0, count <= 366 * 24 * 3600 else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = count
        case "m": seconds = count * 60
        case "h": seconds = count * 3600
        case "d": seconds = count * 86_400
        default: return nil
        }
        guard seconds <= 366 * 86_400 else { return nil }
        duration = .seconds(seconds)
        description = argument
    }

    /// A whole number of seconds, shown as `--help` shows a default (`15s`).
    init(_ duration: Duration) {
        self.duration = duration
        description = "\(duration.components.seconds)s"
    }
}
