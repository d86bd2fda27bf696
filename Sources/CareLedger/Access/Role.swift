/// What a token may do (SPEC sections 7 and 8).
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Appends events; reads streams and the digest.
    case writer
    /// Programme staff: everything, personal data on request.
    case staff
    /// Auditors: every read, never personal data.
    case auditor
    /// Governance boards: published figures and organisational events only.
    case board

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}
