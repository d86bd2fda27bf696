/// How the small state the rules keep is laid out in its databases (``LogDatabases``): written
/// by ``BatchWriter`` as events land, and remade from the events by `verify`
/// (``RuleStateCheck``), so both go through these.
enum RuleStateEncoding {
    /// `spells`: the seq of the spell's `EmploymentEnded` (0 while open), then its workerRef.
    static func spell(endedBy: Seq?, workerRef: String) -> [UInt8] {
        bigEndianBytes(endedBy?.rawValue ?? 0) + Array(workerRef.utf8)
    }

    /// `cases`: the seq of its `CaseClosed` (0 while open), the caseType's length and the
    /// caseType, then the workerRef.
    static func `case`(_ record: CaseRecord) -> [UInt8] {
        let type = Array(record.caseType.utf8)
        return bigEndianBytes(record.closedBy?.rawValue ?? 0) + [UInt8(type.count)] + type + Array(record.workerRef.utf8)
    }

    /// `openCases`' key: the worker's open case of a type.
    static func openCaseKey(workerRef: String, caseType: String) -> [UInt8] {
        Array(workerRef.utf8) + [0] + Array(caseType.utf8)
    }
}
