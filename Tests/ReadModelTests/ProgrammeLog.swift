import CareLedger
import LedgerJSON
import LedgerTestSupport
import ProjectionKit
import ReadModels

/// A real ledger in its own temporary folder, with builders for the events the read models read
/// and its read models beside it.
final class ProgrammeLog {
    let folder = TemporaryFolder("readmodels")
    let ledger: Ledger
    let models: ReadModels
    private var counter = 0

    init() throws {
        try Ledger.initialise(folder: folder.path)
        ledger = try Ledger(folder: folder.path)
        models = try ReadModels(ledger: ledger)
    }

    /// Appends events as one batch; returns the seq of the last.
    @discardableResult
    func append(_ events: JSONValue...) throws -> Seq {
        try append(events)
    }

    @discardableResult
    func append(_ events: [JSONValue]) throws -> Seq {
        try ledger.append(body: Array(Fixtures.ndjson(events).utf8)).positions.last!.seq
    }

    /// The `recordedAt` of the event at `seq`: a known-at instant that sees exactly up to it.
    func recordedAt(_ seq: Seq) throws -> Instant {
        try ledger.withSnapshot { try $0.recordedAt(seq)! }
    }

    /// A fresh event id, so a test can retract what it appended.
    func nextID() -> String {
        counter += 1
        return "00000000-0000-4000-8000-\(String(repeating: "0", count: 12 - String(counter).count))\(counter)"
    }
}

/// Builders for the events of SPEC section 4 that the read models use.
enum E {
    static func partner(_ id: String, kind: String = "adviceService", on date: String = "2024-01-01") -> JSONValue {
        Fixtures.event("PartnerRegistered", ["partnerId": .string(id), "name": .string("Partner \(id)"), "kind": .string(kind)], on: date)
    }
    static func provider(_ id: String, on date: String = "2024-01-01") -> JSONValue {
        Fixtures.event("ProviderRegistered", ["providerId": .string(id), "name": .string("Provider \(id)"), "laCode": "E08000025"], on: date)
    }
    static func revoked(_ provider: String, on date: String) -> JSONValue {
        Fixtures.event("SponsorLicenceRevoked", ["providerId": .string(provider)], on: date)
    }
    static func reinstated(_ provider: String, on date: String) -> JSONValue {
        Fixtures.event("SponsorLicenceReinstated", ["providerId": .string(provider)], on: date)
    }
    static func worker(_ ref: String, la: String = "E08000025", route: String = "overseasRecruitment", on date: String = "2024-01-02", id: String? = nil) -> JSONValue {
        Fixtures.event("WorkerRegistered", ["workerRef": .string(ref), "route": .string(route), "nationality": "PH", "laCode": .string(la)], on: date, id: id)
    }
    static func started(_ worker: String, _ spell: String, at provider: String, via: Bool = false, on date: String, id: String? = nil) -> JSONValue {
        Fixtures.event("EmploymentStarted", ["workerRef": .string(worker), "spellId": .string(spell), "providerId": .string(provider),
                                             "jobRole": "careWorker", "contractType": "permanent", "viaReplacement": .bool(via)], on: date, id: id)
    }
    static func ended(_ worker: String, _ spell: String, reason: String = "sponsorRevoked", on date: String, id: String? = nil) -> JSONValue {
        Fixtures.event("EmploymentEnded", ["workerRef": .string(worker), "spellId": .string(spell), "reason": .string(reason)], on: date, id: id)
    }
    static func displaced(_ worker: String, from provider: String, windowEndsOn: String, on date: String) -> JSONValue {
        Fixtures.event("WorkerDisplaced", ["workerRef": .string(worker), "providerId": .string(provider), "windowEndsOn": .string(windowEndsOn)], on: date)
    }
    static func opened(_ caseId: String, worker: String, type: String = "replacement", channel: String = "spocMailbox", owner: String, on date: String, id: String? = nil) -> JSONValue {
        Fixtures.event("CaseOpened", ["caseId": .string(caseId), "workerRef": .string(worker), "caseType": .string(type),
                                      "channel": .string(channel), "ownerPartnerId": .string(owner)], on: date, id: id)
    }
    static func closed(_ caseId: String, outcome: String = "placed", on date: String, id: String? = nil) -> JSONValue {
        Fixtures.event("CaseClosed", ["caseId": .string(caseId), "outcome": .string(outcome)], on: date, id: id)
    }
    static func concern(_ id: String, case caseId: String? = nil, worker: String? = nil, referredTo: [String] = [], on date: String) -> JSONValue {
        var data: [(String, JSONValue)] = [("concernId", .string(id))]
        if let caseId { data.append(("caseId", .string(caseId))) }
        if let worker { data.append(("workerRef", .string(worker))) }
        data += [("indicators", ["fees"]), ("referredTo", .array(referredTo.map { .string($0) }))]
        return Fixtures.event("SafeguardingConcernRaised", .object(data), on: date)
    }
    static func placed(_ caseId: String, with provider: String, evidence: String = "verified", on date: String) -> JSONValue {
        Fixtures.event("ReplacementSecured", ["caseId": .string(caseId), "newProviderId": .string(provider), "evidence": .string(evidence)], on: date)
    }
    static func support(_ caseId: String, by partner: String, kind: String = "housing", on date: String) -> JSONValue {
        Fixtures.event("SupportProvided", ["caseId": .string(caseId), "partnerId": .string(partner), "kind": .string(kind)], on: date)
    }
    static func retract(_ target: String, on date: String) -> JSONValue {
        Fixtures.event("EventRetracted", ["targetEventId": .string(target), "reason": "Recorded in error"], on: date)
    }
}

extension LocalDate {
    init(_ text: StaticString) { self.init("\(text)")! }
}
