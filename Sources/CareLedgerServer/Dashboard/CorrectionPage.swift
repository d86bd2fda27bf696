internal import CareLedger
internal import LedgerJSON

/// The page `/correct` draws: one event or several (chosen on a timeline), the fields they all
/// have as recorded beside boxes for the right facts', a reason, and what became of the last
/// post. A mistake is corrected, not edited (SPEC 4): the page says so, as `careledger retract
/// --mend` does; with several events, each is retracted and recorded with the same fields
/// changed, all in one batch, as `retract 812 813 --mend` does (a return filed under the wrong
/// provider put right at once).
struct CorrectionPage {
    /// What the person pressed.
    enum Action: String {
        /// Check the batch against the log, and write nothing.
        case check
        /// Retract the events and record the right facts, in one batch.
        case correct
        /// Retract the events alone.
        case retract
    }

    /// What became of the last post.
    enum Outcome {
        case wouldLand
        case landed(AppendResult)
        case refused([String])
    }

    let targets: [CorrectionTarget]
    var reason = ""
    /// The columns every target has, in the first one's order.
    let columns: [String]
    /// Each column's cell as recorded, where every target holds the same; `nil` where they differ.
    let recorded: [String?]
    /// The right facts' cell in each column: as recorded (or empty where it varies) until changed.
    var given: [String]
    var outcome: Outcome?
    /// Whether the caller may ask to see the events' personal data (the staff role).
    var mayReveal = false
    /// Whether the page shows personal data among the fields, as a staff request asked.
    var showsPersonalData: Bool { targets.contains { $0.shownWorker != nil } }

    init(targets: [CorrectionTarget], reason: String = "") {
        precondition(!targets.isEmpty, "a correction is of one event or more")
        self.targets = targets
        self.reason = reason
        columns = targets[0].columns.filter { column in targets.allSatisfy { $0.columns.contains(column) } }
        recorded = columns.map { column in
            let cells = Set(targets.map { $0.recorded[$0.columns.firstIndex(of: column)!] })
            return cells.count == 1 ? cells.first : nil
        }
        given = recorded.map { $0 ?? "" }
    }

    /// The form's name for the right facts' cell in `column`.
    static func fieldName(_ column: String) -> String { "field.\(column)" }

    /// The seqs, as the form and the address name them (`812,813`), or with another separator.
    func seqs(_ separator: String = ",") -> String { targets.map { String($0.stored.seq.rawValue) }.joined(separator: separator) }

    /// The columns whose cell was changed, as `--mend` takes them: one that differs among the
    /// events is changed when a box is filled.
    var changes: [EventCatalogue.Entry.TypedField] {
        zip(columns, zip(given, recorded)).compactMap { column, cells in
            cells.0 == (cells.1 ?? "") ? nil : EventCatalogue.Entry.TypedField("\(column)=\(cells.0)")
        }
    }

    /// Whether the right facts can be recorded here: personal data, which the page never shows,
    /// is carried over only where the server can copy it.
    var mayRecordRightFacts: Bool { targets.allSatisfy { !$0.carriesPersonalData || $0.copiesPersonalData } }

    /// The batch `action` appends (or checks): the retractions, with the right facts unless the
    /// events are retracted alone.
    /// - Throws: ``LedgerError`` for a reason left blank, a correction that changes nothing, or
    ///   an event whose personal data cannot be copied.
    func batch(_ action: Action, actor: String, today: LocalDate) throws(LedgerError) -> [UInt8] {
        guard !reason.allSatisfy(\.isWhitespace) else { throw LedgerError(.usage, "Say why the event is retracted: the reason is kept in the log with it.") }
        let stored = targets.map(\.stored)
        let correcting = action == .correct || (action == .check && !changes.isEmpty)
        guard correcting else {
            return try Ledger.retractions(of: stored, reason: reason, occurredOn: today, actor: actor, source: "dashboard:correct")
        }
        guard !changes.isEmpty else {
            throw LedgerError(.usage, "No field was changed: change the ones that were wrong, or press Retract only to take the event back without a right fact.")
        }
        var rightFacts: [JSONValue] = []
        for target in targets {
            rightFacts.append(try target.entry.mending(target.event, seq: target.stored.seq, with: changes, meta: [("actor", actor), ("source", "dashboard:correct")]))
        }
        return try Ledger.retractions(of: stored, reason: reason, occurredOn: today, actor: actor, source: "dashboard:correct", correctedBy: rightFacts)
    }

    /// A refusal of the batch, said of what it is about: a retraction (the first events of the
    /// batch, one per target), or a right fact (the rest, in the same order).
    func said(_ problem: LedgerError) -> String {
        var index = 0
        if case .index(let i)? = problem.location { index = i }
        let about = index < targets.count ? "The retraction of seq \(targets[index].stored.seq)"
            : targets.count == 1 ? "The right fact" : "The right fact of seq \(targets[min(index - targets.count, targets.count - 1)].stored.seq)"
        return "\(about): \(problem.pointer.map { "\($0.isEmpty ? "/" : $0): " } ?? "")\(problem.rule)"
    }

    var html: String {
        let several = targets.count > 1
        let named = several ? "seqs \(seqs(", "))" : "seq \(targets[0].stored.seq)"
        var body = "<h1>Correct \(named)</h1>"
        body += several
            ? "<ul id=\"events\">" + targets.map { "<li>Seq \($0.stored.seq): \(escape($0.described))</li>" }.joined() + "</ul><p class=\"note\">\(targets[0].timelineLink)</p>"
            : "<p class=\"note\" id=\"event\">\(escape(targets[0].described)). \(targets[0].timelineLink)</p>"
        body += "<p class=\"note\">A mistake is corrected, not edited: \(several ? "each event stays" : "the event stays") in the log and in its timelines, marked retracted, and every read model leaves it out from now on. "
        let change = several
            ? "Change the fields that were wrong: each event's right fact, the rest as it was, is recorded with the retractions in one batch, so all land or none does. A field that differs among them is changed only when its box is filled."
            : "Change the fields that were wrong: the right fact, the rest as they were, is recorded with the retraction in one batch, so both land or neither does."
        if !targets.contains(where: \.carriesPersonalData) {
            body += change + "</p>"
        } else if showsPersonalData {
            body += change + " Its personal data is among the fields, as you asked: this showing is recorded in the access log, and the right fact's is sealed again.</p>"
        } else if mayRecordRightFacts {
            let reveal = mayReveal
                ? "To change it, <a id=\"reveal\" href=\"/correct?seq=\(seqs())&amp;reveal=true\">show it among the fields</a> (each showing is recorded in the access log)."
                : "To change it, a token with the staff role shows it here, or use <code>careledger retract \(seqs(" ")) --reason … --mend FIELD=VALUE --master-key FILE</code>."
            body += change + " Personal data is not shown here: the right fact carries it over as it was, sealed again. \(reveal)</p>"
        } else {
            body += "\(several ? "Some of these events carry" : "This event carries") personal data, which this page neither shows nor copies (the server runs without the master key, or the worker's personal data is erased): retract and record the right fact, whole, in one batch with <code>careledger retract SEQ --reason … --correction FILE</code>, or retract only, here.</p>"
        }
        switch outcome {
        case .wouldLand?:
            body += "<p class=\"notice\" id=\"outcome\">Checked: \(changes.isEmpty ? (several ? "the retractions" : "the retraction") : (several ? "the retractions and the right facts" : "the retraction and the right fact")) would land. Nothing was written yet.</p>"
        case .landed(let result)?:
            let positions = result.positions.map(\.seq.description)
            let retractions = positions.prefix(targets.count), rightFacts = positions.dropFirst(targets.count)
            body += "<p class=\"notice\" id=\"outcome\">Retracted \(named) (EventRetracted at seq \(retractions.joined(separator: ", ")))"
                + (rightFacts.isEmpty ? "" : "; the right \(several ? "facts" : "fact") recorded at seq \(rightFacts.joined(separator: ", "))") + "; head \(result.head.seq):\(escape(result.head.hash.description)).</p>"
            if let note = result.datedAhead.note { body += "<p class=\"note\" id=\"ahead\">\(escape(note.prefix(1).uppercased() + note.dropFirst())).</p>" }
        case .refused(let messages)?:
            body += "<div class=\"notice\" id=\"outcome\">" + messages.map { "<p>\(escape($0.prefix(1).uppercased() + $0.dropFirst()))</p>" }.joined() + "</div>"
        case nil:
            break
        }
        var rows = ""
        if mayRecordRightFacts {
            for (index, column) in columns.enumerated() {
                rows += "<tr><th scope=\"row\"><label for=\"f\(index)\">\(escape(column))</label></th><td>\(recorded[index].map(escape) ?? "<em>differs</em>")</td>"
                    + "<td><input id=\"f\(index)\" name=\"\(escape(Self.fieldName(column)))\" value=\"\(escape(given[index]))\" size=\"40\"></td></tr>"
            }
        }
        let table = rows.isEmpty ? "" : "<div class=\"scroll\"><table id=\"fields\"><thead><tr><th scope=\"col\">field</th><th scope=\"col\">as recorded</th><th scope=\"col\">the right \(several ? "facts" : "fact")</th></tr></thead><tbody>\(rows)</tbody></table></div>"
        body += """
        <form method="post" action="/correct" class="query"><input type="hidden" name="seq" value="\(seqs())">\(showsPersonalData ? "<input type=\"hidden\" name=\"reveal\" value=\"true\">" : "")
        <p><label>Why \(several ? "they are" : "it is") retracted <input name="reason" value="\(escape(reason))" size="60"></label> (kept in the log; no personal data)</p>
        \(table)<p><button type="submit" name="action" value="check">Check</button> \(mayRecordRightFacts ? "<button type=\"submit\" name=\"action\" value=\"correct\">Retract and record the right \(several ? "facts" : "fact")</button> " : "")<button type="submit" name="action" value="retract">Retract only</button></p></form>
        """
        return page(title: "CareLedger: correct \(named)", body: body)
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
