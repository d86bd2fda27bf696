import ArgumentParser
import CareLedger
import ReadModels
import Timelines
import LedgerJSON

/// `careledger timeline worker|provider|partner|case ID` and `timeline programme`.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show the timeline of a worker, provider, partner or case, or the programme's month by month.",
        discussion: """
            A timeline lists every event about its subject as the ledger knew it at --known-at (default \
            now), ordered by occurredOn then seq, each with a one-line summary; a retracted event stays, \
            marked with the seq of its retraction ("by seq 603"; retractedBy in --json), which \
            reads "Retracted seq 602: …", beside the right fact's "(corrects seq 602)". A worker's includes its cases and the safeguarding concerns naming it or them.

            Examples:
              careledger timeline worker W-00123
              careledger timeline case C-00042 --known-at 2025-04-01T09:00:00Z
              careledger timeline provider P-042 --publish    # organisational events only
              careledger timeline programme --period 2024-25  # a board's; add --publish

            An id with no events known at that instant is "not found" (exit 1).
            """)

    enum Subject: String, ExpressibleByArgument, CaseIterable {
        case worker, provider, partner, `case`, programme
    }

    @Argument(help: "worker, provider, partner, case, or programme.")
    var subject: Subject

    @Argument(help: "The id: a workerRef, providerId, partnerId or caseId (not for programme).")
    var id: String?

    @OptionGroup var options: DataOptions
    @OptionGroup var knownAt: KnownAtOption
    @OptionGroup var period: PeriodOption
    @Flag(help: "Apply disclosure control: programme counts are published, provider and partner timelines keep organisational events only; worker and case timelines are refused.")
    var publish = false
    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        let instant = try knownAt.knownAt()
        if subject == .programme {
            guard id == nil else { throw LedgerError(.usage, "the programme timeline takes no id; choose the months with --period") }
            let models = try options.readModels()
            try KnownAtOption.noteIfBeforeTheLog(instant, in: models.ledger)
            let answer = try models.programme(period: try period.period(), knownAt: instant)
            output.print(json: { answer.json(publish: publish) }, table: { answer.table(publish: publish) })
            return
        }
        guard let id, !id.allSatisfy(\.isWhitespace) else {
            throw LedgerError(.usage, "name the \(subject.rawValue): careledger timeline \(subject.rawValue) ID")
        }
        guard period.periodText == nil else { throw LedgerError(.usage, "--period applies to the programme timeline only") }
        let kind = TimelineKind(rawValue: subject.rawValue)!
        if publish && !kind.isOrganisational {
            throw LedgerError(.usage, "\(kind.rawValue) timelines are row-level data about people and are never published; a board reads `timeline programme`")
        }
        let models = try options.readModels()
        let answer = try models.timeline(kind, id: id, knownAt: instant, publish: publish)
        output.print(json: { answer.json }, table: { answer.table })
    }
}
