import CareLedger
public import LedgerJSON
import Foundation

/// Valid events for every type of the catalogue, against a small base world of partners, a
/// provider, a worker, a spell, a case, a referral and a concern.
public enum Fixtures {
    /// An event with the given type, date and data, as one JSON value.
    public static func event(_ type: String, _ data: JSONValue, on date: String = "2024-05-01",
                             id: String? = nil, meta: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let id { members.append(("id", .string(id))) }
        members += [("type", .string(type)), ("schemaVersion", 1), ("occurredOn", .string(date)), ("data", data)]
        if let meta { members.append(("meta", meta)) }
        return .object(members)
    }

    /// The base world, in an order that satisfies every reference.
    public static var world: [JSONValue] {
        [
            event("PartnerRegistered", ["partnerId": "PT-1", "name": "Citizens Advice Test", "kind": "adviceService", "laCode": "E08000025"], on: "2024-01-02"),
            event("PartnerRegistered", ["partnerId": "PT-2", "name": "Housing Team Test", "kind": "housing"], on: "2024-01-02"),
            event("ProviderRegistered", ["providerId": "P-1", "name": "Test Care Ltd", "laCode": "E08000026", "sponsorRating": "a"], on: "2024-01-03"),
            event("ProviderRegistered", ["providerId": "P-2", "name": "Second Care Ltd", "laCode": "E08000027"], on: "2024-01-03"),
            event("WorkerRegistered", ["workerRef": "W-1", "route": "overseasRecruitment", "nationality": "PH", "laCode": "E08000025", "yearOfEntry": 2023], on: "2024-01-04"),
            event("EmploymentStarted", ["workerRef": "W-1", "spellId": "S-1", "providerId": "P-1", "jobRole": "careWorker", "contractType": "permanent", "viaReplacement": false], on: "2024-02-01"),
            event("CaseOpened", ["caseId": "C-1", "workerRef": "W-1", "caseType": "support", "channel": "partner", "ownerPartnerId": "PT-1"], on: "2024-03-01"),
            event("ReferralMade", ["caseId": "C-1", "referralId": "R-1", "fromPartnerId": "PT-1", "toPartnerId": "PT-2", "reason": "Housing at risk"], on: "2024-03-02"),
        ]
    }

    /// A valid event of each type, appendable after ``world`` (each on its own).
    public static var examples: [String: JSONValue] {
        [
            "PartnerRegistered": event("PartnerRegistered", ["partnerId": "PT-9", "name": "Faith Group", "kind": "faithGroup"]),
            "PartnerDeactivated": event("PartnerDeactivated", ["partnerId": "PT-2", "reason": "Funding ended"]),
            "ProviderRegistered": event("ProviderRegistered", ["providerId": "P-9", "name": "New Care", "laCode": "E08000025", "cqcLocationId": "1-123456789"]),
            "SponsorLicenceSuspended": event("SponsorLicenceSuspended", ["providerId": "P-1"]),
            "SponsorLicenceReinstated": event("SponsorLicenceReinstated", ["providerId": "P-1"]),
            "SponsorLicenceRevoked": event("SponsorLicenceRevoked", ["providerId": "P-1"]),
            "WorkerRegistered": event("WorkerRegistered", ["workerRef": "W-9", "route": "displaced", "nationality": "NG", "laCode": "E08000026"]),
            "JobOfferMade": event("JobOfferMade", ["workerRef": "W-1", "offerId": "O-1", "providerId": "P-2", "soc": "6135", "jobRole": "seniorCareWorker", "weeklyHours": 37.5, "hourlyPayPence": 1250, "channel": "regionalMatching", "repaymentClause": ["amountPence": 150000, "months": 24, "interestFree": true, "itemised": false]]),
            "CertificateOfSponsorshipAssigned": event("CertificateOfSponsorshipAssigned", ["workerRef": "W-1", "providerId": "P-1", "kind": "defined"]),
            "VisaGranted": event("VisaGranted", ["workerRef": "W-1", "route": "healthAndCare", "leaveExpiresOn": "2027-05-01"]),
            "WorkerArrived": event("WorkerArrived", ["workerRef": "W-1"]),
            "RightToWorkChecked": event("RightToWorkChecked", ["workerRef": "W-1", "providerId": "P-1", "method": "shareCode", "outcome": "timeLimited", "followUpDueOn": "2027-05-01"]),
            "DbsCheckCompleted": event("DbsCheckCompleted", ["workerRef": "W-1", "level": "enhancedWithBarred", "overseasCertificate": true, "outcome": "cleared"]),
            "EmploymentStarted": event("EmploymentStarted", ["workerRef": "W-1", "spellId": "S-2", "providerId": "P-2", "jobRole": "careWorker", "contractType": "poolBank", "viaReplacement": true]),
            "ProbationConcluded": event("ProbationConcluded", ["workerRef": "W-1", "spellId": "S-1", "outcome": "passed"]),
            "TrainingCompleted": event("TrainingCompleted", ["workerRef": "W-1", "kind": "careCertificateStandard", "title": "Duty of care", "standardNumber": 3]),
            "CareCertificateAwarded": event("CareCertificateAwarded", ["workerRef": "W-1"]),
            "SponsorChangeReported": event("SponsorChangeReported", ["workerRef": "W-1", "spellId": "S-1", "change": "payCut", "reportedOn": "2024-05-03"]),
            "EmploymentEnded": event("EmploymentEnded", ["workerRef": "W-1", "spellId": "S-1", "reason": "sponsorRevoked"]),
            "WorkerDisplaced": event("WorkerDisplaced", ["workerRef": "W-1", "providerId": "P-1", "windowEndsOn": "2024-06-30"]),
            "CaseOpened": event("CaseOpened", ["caseId": "C-2", "workerRef": "W-1", "caseType": "replacement", "channel": "spocMailbox", "ownerPartnerId": "PT-1"]),
            "JobIntroductionMade": event("JobIntroductionMade", ["caseId": "C-1", "providerId": "P-2", "platform": "lifted"]),
            "ReplacementSecured": event("ReplacementSecured", ["caseId": "C-1", "newProviderId": "P-2", "evidence": "verified"]),
            "SupportProvided": event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-2", "kind": "housing"]),
            "ReferralMade": event("ReferralMade", ["caseId": "C-1", "referralId": "R-2", "fromPartnerId": "PT-2", "toPartnerId": "PT-1", "reason": "Back to advice"]),
            "ReferralOutcomeRecorded": event("ReferralOutcomeRecorded", ["caseId": "C-1", "referralId": "R-1", "outcome": "accepted"]),
            "SafeguardingConcernRaised": event("SafeguardingConcernRaised", ["concernId": "SG-1", "caseId": "C-1", "workerRef": "W-1", "providerId": "P-1", "indicators": ["fees", "debt"], "referredTo": []]),
            "CaseClosed": event("CaseClosed", ["caseId": "C-1", "outcome": "supportComplete"]),
            "EventRetracted": event("EventRetracted", ["targetEventId": "00000000-0000-4000-8000-000000000005", "reason": "Wrong worker"]),
            "PersonalDataErased": event("PersonalDataErased", ["workerRef": "W-1", "requestReference": "DSAR-2024-17"]),
        ]
    }

    /// ``world`` with fixed ids (`…000001` to `…000008`), so examples can retract them.
    public static var worldWithIDs: [JSONValue] {
        world.enumerated().map { index, event in
            guard case .object(let members) = event else { return event }
            return .object([("id", .string(String(format: "00000000-0000-4000-8000-%012d", index + 1)))] + members)
        }
    }

    /// NDJSON of the given events.
    public static func ndjson(_ events: [JSONValue]) -> String {
        events.map(\.compactText).joined(separator: "\n") + "\n"
    }

    /// Returns `event` with `data.<field>` set to `value` (or removed when `value` is nil).
    public static func setting(_ event: JSONValue, data field: String, to value: JSONValue?) -> JSONValue {
        guard case .object(let members) = event else { return event }
        return .object(members.map { name, member in
            guard name == "data", case .object(var data) = member else { return (name, member) }
            data.removeAll { $0.0 == field }
            if let value { data.append((field, value)) }
            return (name, .object(data))
        })
    }

    /// Returns `event` with the top-level member `name` set to `value` (or removed when nil).
    public static func setting(_ event: JSONValue, top name: String, to value: JSONValue?) -> JSONValue {
        guard case .object(var members) = event else { return event }
        members.removeAll { $0.0 == name }
        if let value { members.append((name, value)) }
        return .object(members)
    }
}
