internal import LedgerJSON

extension ReturnReplacement {
    /// Which row of a corrected return corrects which event of the earlier one: a row and an
    /// event of one type that differ in exactly one field (`occurredOn`, or one member of
    /// `data`, personal data aside), each the other's only such partner. A wrong end date, a
    /// wrong provider, a misspelt title: the corrections a provider sends back. Two fields
    /// changed, or two rows that could each be the correction, and nothing is paired.
    enum Pairing {
        /// The event of `retracted` that each row of `recorded` (by index) corrects.
        static func corrections(recorded: [EventCatalogue.Entry.RowEvent], retracted: [Retracted]) throws(LedgerError) -> [Int: Correction] {
            guard !recorded.isEmpty, !retracted.isEmpty else { return [:] }
            var before: [(fact: Fact, correction: Correction)] = []
            for target in retracted {
                let stored = try target.stored.json()
                guard let id = stored["id"]?.stringValue, let fact = Fact(stored) else { continue }
                before.append((fact, Correction(id: id, line: target.line)))
            }
            // A row that names what it corrects itself (a meta.corrects column) keeps its word.
            let after = recorded.map { $0.event["meta"]?["corrects"] == nil ? Fact($0.event) : nil }
            var candidates = [[Int]](repeating: [], count: after.count), claimed = [Int](repeating: 0, count: before.count)
            for (index, fact) in after.enumerated() {
                guard let fact else { continue }
                for (other, earlier) in before.enumerated() where fact.differsInOneField(from: earlier.fact) {
                    candidates[index].append(other)
                    claimed[other] += 1
                }
            }
            var corrects: [Int: Correction] = [:]
            for (index, found) in candidates.enumerated() where found.count == 1 && claimed[found[0]] == 1 {
                corrects[index] = before[found[0]].correction
            }
            return corrects
        }

        /// `event` with `meta.corrects` naming `id`.
        static func naming(_ id: String, in event: JSONValue) -> JSONValue {
            guard case .object(var members) = event else { return event }
            var meta: [(String, JSONValue)] = []
            if let index = members.firstIndex(where: { $0.0 == "meta" }) {
                guard case .object(let given) = members[index].1 else { return event }
                meta = given
                members.remove(at: index)
            }
            members.append(("meta", .object(meta + [("corrects", .string(id))])))
            return .object(members)
        }

        /// What a row records, as compared: its type, date and data without personal data.
        struct Fact {
            let type: JSONValue
            let occurredOn: JSONValue
            let data: [(String, JSONValue)]

            init?(_ event: JSONValue) {
                guard let type = event["type"], let occurredOn = event["occurredOn"], case .object(let data)? = event["data"] else { return nil }
                self.type = type
                self.occurredOn = occurredOn
                self.data = data.filter { $0.0 != "pii" && $0.0 != "notes" }
            }

            func differsInOneField(from other: Fact) -> Bool {
                guard type == other.type else { return false }
                var differing = occurredOn == other.occurredOn ? 0 : 1
                for name in Set(data.map(\.0)).union(other.data.map(\.0)) {
                    if data.first(where: { $0.0 == name })?.1 != other.data.first(where: { $0.0 == name })?.1 { differing += 1 }
                    if differing > 1 { return false }
                }
                return differing == 1
            }
        }
    }
}
