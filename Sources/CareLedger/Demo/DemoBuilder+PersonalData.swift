internal import LedgerJSON

/// Synthetic personal data for the demo (`demo --personal-data`): invented names, `example.org`
/// addresses and Ofcom's drama-reserved phone numbers, so the demo shows encryption, redaction,
/// reveals and erasure without anyone's real data. Drawn from a generator of its own, so a demo
/// with personal data holds the same story, event for event, as one without.
extension DemoBuilder {
    static let givenNames = ["Asha", "Chidi", "Maria", "Tendai", "Kwame", "Wanjiru", "Nimal", "Sita", "Rahim", "Joy",
                             "Grace", "Ravi", "Adaeze", "Thabo", "Mercy", "Anil", "Blessing", "Joseph", "Priya", "Kofi"]
    static let familyNames = ["Santos", "Okafor", "Mensah", "Moyo", "Perera", "Shrestha", "Rahman", "Kamau", "Naidoo",
                              "Reyes", "Patel", "Adeyemi", "Dube", "Boateng", "Fernando", "Otieno", "Cruz", "Nair"]
    static let notes = [
        "Rent arrears discussed; landlord contacted with consent; follow-up booked in two weeks.",
        "Worker anxious about visa timeline; signposted to the immigration adviser.",
        "Food bank voucher issued; household of three.",
        "CV updated and two care vacancies shared through the job platform.",
        "Reports unpaid hours at the previous employer; evidence gathered for the employment-rights referral.",
        "Wellbeing call; worker settling into new shared housing.",
    ]

    /// The `pii` of worker `ref`, when the demo carries personal data.
    mutating func personalData(of ref: String) -> JSONValue? {
        guard var draw = personal else { return nil }
        defer { personal = draw }
        let given = draw.pick(Self.givenNames), family = draw.pick(Self.familyNames)
        let born = LocalDate(dayNumber: draw.int(Self.day("1968-01-01")...Self.day("2003-12-31")))
        return .object([
            ("givenName", .string(given)), ("familyName", .string(family)), ("dateOfBirth", .string(born.description)),
            ("email", .string("\(given).\(family).\(ref)@example.org".lowercased())),
            ("phone", .string("+44 7700 900" + pad(draw.int(0...999), 3))),
        ])
    }

    /// A support episode's `notes`, for about half of them, when the demo carries personal data.
    mutating func supportNotes() -> JSONValue? {
        guard var draw = personal else { return nil }
        defer { personal = draw }
        return draw.chance(0.5) ? .string(draw.pick(Self.notes)) : nil
    }
}
