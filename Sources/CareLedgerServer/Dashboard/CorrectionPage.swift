internal import CareLedger
internal import LedgerJSON

/// The page `/correct` draws: an event, its fields as recorded beside boxes for the right
/// fact's, a reason, and what became of the last post. A mistake is corrected, not edited
/// (SPEC 4): the page says so, as `careledger retract --mend` does.
struct CorrectionPage {
    /// What the person pressed.
    enum Action: String {
        /// Check the batch against the log, and write nothing.
        case check
        /// Retract the event and record the right fact, in one batch.
        case correct
        /// Retract the event alone.
        case retract
    }

    /// What became of the last post.
    enum Outcome {
        case wouldLand
        case landed(AppendResult)
        case refused([String])
    }

    let target: CorrectionTarget
    var reason = ""
    /// The right fact's cell in each of the target's columns: as recorded until changed.
    var given: [String]
    var outcome: Outcome?

    init(target: CorrectionTarget, reason: String = "") {
        self.target = target
        self.reason = reason
        given = target.recorded
    }

    /// The form's name for the right fact's cell in `column`.
    static func fieldName(_ column: String) -> String { "field.\(column)" }

    /// The columns whose cell was changed, as `--mend` takes them.
    var changes: [EventCatalogue.Entry.TypedField] {
        zip(target.columns, zip(given, target.recorded)).compactMap { column, cells in
            cells.0 == cells.1 ? nil : EventCatalogue.Entry.TypedField("\(column)=\(cells.0)")
        }
    }

    /// The batch `action` appends (or checks): the retraction, with the right fact unless the
    /// event is retracted alone.
    /// - Throws: ``LedgerError`` for a reason left blank, a correction that changes nothing, or
    ///   an event whose personal data cannot be copied.
    func batch(_ action: Action, actor: String, today: LocalDate) throws(LedgerError) -> [UInt8] {
        guard !reason.allSatisfy(\.isWhitespace) else { throw LedgerError(.usage, "Say why the event is retracted: the reason is kept in the log with it.") }
        let correcting = action == .correct || (action == .check && !changes.isEmpty)
        guard correcting else {
            return try Ledger.retraction(of: target.stored, reason: reason, occurredOn: today, actor: actor, source: "dashboard:correct")
        }
        guard !changes.isEmpty else {
            throw LedgerError(.usage, "No field was changed: change the ones that were wrong, or press Retract only to take the event back without a right fact.")
        }
        let rightFact = try target.entry.mending(target.event, seq: target.stored.seq, with: changes, meta: [("actor", actor), ("source", "dashboard:correct")])
        return try Ledger.retraction(of: target.stored, reason: reason, occurredOn: today, actor: actor, source: "dashboard:correct", correctedBy: rightFact)
    }

    /// A refusal of the batch, said of what it is about: the retraction, or the right fact.
    func said(_ problem: LedgerError) -> String {
        let about = problem.location == .index(1) ? "The right fact" : "The retraction of seq \(target.stored.seq)"
        return "\(about): \(problem.pointer.map { "\($0.isEmpty ? "/" : $0): " } ?? "")\(problem.rule)"
    }

    var html: String {
        let seq = target.stored.seq
        var body = "<h1>Correct seq \(seq)</h1><p class=\"note\" id=\"event\">\(escape(target.described)). \(target.timelineLink)</p>"
        body += "<p class=\"note\">A mistake is corrected, not edited: the event stays in the log and in its timelines, marked retracted, and every read model leaves it out from now on. "
        let change = "Change the fields that were wrong: the right fact, the rest as they were, is recorded with the retraction in one batch, so both land or neither does."
        if !target.carriesPersonalData {
            body += change + "</p>"
        } else if target.copiesPersonalData {
            body += change + " This event carries personal data, which this page does not show: the right fact carries it over as it was, sealed again. To change it, use <code>careledger retract \(seq) --reason … --mend FIELD=VALUE --master-key FILE</code>.</p>"
        } else {
            body += "This event carries personal data, which this page neither shows nor copies (the server runs without the master key, or the worker's personal data is erased): retract it and record the right fact, whole, in one batch with <code>careledger retract \(seq) --reason … --correction FILE</code>, or retract it only, here.</p>"
        }
        switch outcome {
        case .wouldLand?:
            body += "<p class=\"notice\" id=\"outcome\">Checked: \(changes.isEmpty ? "the retraction" : "the retraction and the right fact") would land. Nothing was written yet.</p>"
        case .landed(let result)?:
            let positions = result.positions.map(\.seq.description)
            body += "<p class=\"notice\" id=\"outcome\">Retracted seq \(seq) (EventRetracted at seq \(positions[0]))"
                + (positions.count > 1 ? "; the right fact recorded at seq \(positions[1])" : "") + "; head \(result.head.seq):\(escape(result.head.hash.description)).</p>"
            if let note = result.datedAhead.note { body += "<p class=\"note\" id=\"ahead\">\(escape(note.prefix(1).uppercased() + note.dropFirst())).</p>" }
        case .refused(let messages)?:
            body += "<div class=\"notice\" id=\"outcome\">" + messages.map { "<p>\(escape($0.prefix(1).uppercased() + $0.dropFirst()))</p>" }.joined() + "</div>"
        case nil:
            break
        }
        var rows = ""
        if target.copiesPersonalData || !target.carriesPersonalData {
            for (index, column) in target.columns.enumerated() {
                rows += "<tr><th scope=\"row\"><label for=\"f\(index)\">\(escape(column))</label></th><td>\(escape(target.recorded[index]))</td>"
                    + "<td><input id=\"f\(index)\" name=\"\(escape(Self.fieldName(column)))\" value=\"\(escape(given[index]))\" size=\"40\"></td></tr>"
            }
        }
        let table = rows.isEmpty ? "" : "<div class=\"scroll\"><table id=\"fields\"><thead><tr><th scope=\"col\">field</th><th scope=\"col\">as recorded</th><th scope=\"col\">the right fact</th></tr></thead><tbody>\(rows)</tbody></table></div>"
        body += """
        <form method="post" action="/correct" class="query"><input type="hidden" name="seq" value="\(seq)">
        <p><label>Why it is retracted <input name="reason" value="\(escape(reason))" size="60"></label> (kept in the log; no personal data)</p>
        \(table)<p><button type="submit" name="action" value="check">Check</button> \(target.carriesPersonalData && !target.copiesPersonalData ? "" : "<button type=\"submit\" name=\"action\" value=\"correct\">Retract and record the right fact</button> ")<button type="submit" name="action" value="retract">Retract only</button></p></form>
        """
        return page(title: "CareLedger: correct seq \(seq)", body: body)
    }

    /// The page for a seq the log does not hold, or a post refused before its event was read.
    static func missing(_ named: String, because reason: String? = nil) -> String {
        let text = reason ?? "The log holds no event at seq \"\(named)\": choose one from a timeline on the dashboard."
        return page(title: "CareLedger: correct", body: "<h1>Correct an event</h1><p class=\"notice\" id=\"outcome\">\(escape(text))</p><p><a href=\"/\">Dashboard</a></p>")
    }
}

extension CorrectionTarget {
    /// A link back to the dashboard, at the timeline of the event's stream where it has one.
    var timelineLink: String {
        let stream = event["stream"]?.stringValue ?? ""
        guard let dash = stream.firstIndex(of: "-"), ["worker", "case", "provider", "partner"].contains(String(stream[..<dash])) else {
            return "<a href=\"/\">Dashboard</a>"
        }
        let named = "\(stream[..<dash]):\(stream[stream.index(after: dash)...])"
        return "<a id=\"timeline\" href=\"/?timeline=\(escape(named))\">Its timeline</a>"
    }

    /// `TrainingCompleted in worker-W-00024, dated 2024-06-10: Training completed: Fire safety (mandatory)`.
    var described: String {
        let type = entry.type
        let summary = EventSummary.of(type, data: event["data"] ?? .object([]))
        return "\(type.rawValue) in \(event["stream"]?.stringValue ?? "?"), dated \(event["occurredOn"]?.stringValue ?? "?"): \(summary)"
    }
}
