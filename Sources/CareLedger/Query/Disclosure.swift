public import LedgerJSON

/// Disclosure control for published figures (SPEC section 5.5): what a board, or anything
/// published, may see of a count or a rate.
///
/// Rates and totals are always computed from exact figures first; only the cell shown is
/// rounded, so nothing can be recovered by differencing rounded cells.
public enum Disclosure {
    /// A count as published: 0 stays 0, 1 to 4 read `"<5"`, others are rounded to the nearest 5.
    public static func count(_ value: Int) -> JSONValue {
        switch value {
        case 0: return 0
        case 1...4: return "<5"
        default: return .integer(Int64((value + 2) / 5 * 5))
        }
    }

    /// The smallest denominator for which a published rate is shown.
    public static let minimumDenominator = 10

    /// Whether a rate over `denominator` must be withheld when published.
    public static func suppresses(denominator: Int) -> Bool { denominator < minimumDenominator }
}

/// Rates and medians as the read models define them (SPEC sections 5.2, 5.3 and 9).
public enum Figures {
    /// `numerator ÷ denominator` rounded half-up to 4 decimal places, or `nil` when the
    /// denominator is 0. Exact integer arithmetic, so 2 ÷ 3 is 0.6667 and 1 ÷ 8 is 0.125 on every machine.
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        guard denominator > 0 else { return nil }
        let scaled = (2 * numerator * 10_000 + denominator) / (2 * denominator)
        return Double(scaled) / 10_000
    }

    /// The median: the middle value, or the mean of the two middle values for an even count;
    /// `nil` for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
