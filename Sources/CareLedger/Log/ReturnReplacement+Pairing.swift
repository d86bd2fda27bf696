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
            // A row and an event that differ in one field alone agree on every other, so they meet
            // under the key of their type and every field but that one: each is filed under one key
            // per field its type has in either return, and only those filed together are compared.
            // Comparing each row with each event would be quadratic: minutes for a return of
            // thousands of rows corrected throughout (a provider's dates all a day out).
            var fields: [String: Set<String>] = [:]
            for fact in after.compactMap({ $0 }) + before.map(\.fact) { fields[fact.typeName, default: ["occurredOn"]].formUnion(fact.data.map(\.0)) }
            var filed: [[UInt8]: (after: [Int], before: [Int])] = [:]
            for (index, fact) in after.enumerated() {
                guard let fact else { continue }
                for field in fields[fact.typeName] ?? [] { filed[fact.key(without: field), default: ([], [])].after.append(index) }
            }
            for (index, earlier) in before.enumerated() {
                for field in fields[earlier.fact.typeName] ?? [] { filed[earlier.fact.key(without: field), default: ([], [])].before.append(index) }
            }
            var candidates = [Int](repeating: 0, count: after.count), partner = [Int?](repeating: nil, count: after.count)
            var claimed = [Int](repeating: 0, count: before.count)
            for together in filed.values where !together.after.isEmpty && !together.before.isEmpty {
                guard min(together.after.count, together.before.count) <= 2 else {
                    // Three or more each side, differing in that field: taken as ambiguous, all of them.
                    together.after.forEach { candidates[$0] += 2 }
                    together.before.forEach { claimed[$0] += 2 }
                    continue
                }
                for index in together.after {
                    for other in together.before where after[index]!.differsInOneField(from: before[other].fact) {
                        candidates[index] += 1
                        partner[index] = other
                        claimed[other] += 1
                    }
                }
            }
            var corrects: [Int: Correction] = [:]
            for (index, count) in candidates.enumerated() where count == 1 {
                if let other = partner[index], claimed[other] == 1 { corrects[index] = before[other].correction }
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

            var typeName: String { type.stringValue ?? "" }

            /// The fact without `field` (`occurredOn`, or a member of its data), as bytes: equal
            /// for two facts that agree on every field but that one.
            func key(without field: String) -> [UInt8] {
                JSONValue.object([("type", type), ("without", .string(field)), ("occurredOn", field == "occurredOn" ? .null : occurredOn),
                                  ("data", .object(data.filter { $0.0 != field }))]).canonicalBytes
            }

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
