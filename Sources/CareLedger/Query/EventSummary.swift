public import LedgerJSON

/// The one-line human summary of an event that timelines show (SPEC section 5.4), such as
/// `Started as careWorker with P-042 (permanent)`.
///
/// Summaries use the pseudonymous ids and the catalogue's own enumeration values, never personal
/// data: `pii` and `notes` are not read, whatever they hold.
public enum EventSummary {
    /// Whether `summary` names the id `id` as a whole (`W-1` in "… W-1 …", not in "W-10").
    /// A `:` or `.` after it that ends a phrase ("Safeguarding concern SG-1: fees") is the
    /// summary's punctuation, though ids may hold either.
    public static func names(_ id: String, in summary: String) -> Bool {
        summary.ranges(of: id).contains { found in
            let before = found.lowerBound == summary.startIndex ? nil : summary[summary.index(before: found.lowerBound)]
            guard !(before.map(isIDCharacter) ?? false) else { return false }
            guard found.upperBound < summary.endIndex else { return true }
            let after = summary[found.upperBound]
            guard isIDCharacter(after) else { return true }
            let next = summary.index(after: found.upperBound)
            return ":.".contains(after) && (next == summary.endIndex || summary[next] == " ")
        }
    }

    private static func isIDCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._:-".contains(character))
    }
    /// The summary of an event of `type` whose `data` is given.
    public static func of(_ type: EventType, data: JSONValue) -> String {
        func text(_ name: String) -> String {
            switch data[name] {
            case .string(let value)?: return value
            case .integer(let value)?: return String(value)
            case .number(let value)?: return value.rounded() == value ? String(Int64(value)) : String(value)
            case .bool(let value)?: return value ? "yes" : "no"
            default: return "?"
            }
        }
        func list(_ name: String) -> [String] { data[name]?.arrayValue?.compactMap(\.stringValue) ?? [] }

        switch type {
        case .partnerRegistered: return "Partner registered: \(text("name")) (\(text("partnerId")), \(text("kind")))"
        case .partnerDeactivated: return "Partner deactivated (\(text("partnerId"))): \(text("reason"))"
        case .providerRegistered: return "Provider registered: \(text("name")) (\(text("providerId")), \(text("laCode")))"
        case .sponsorLicenceSuspended: return "Sponsor licence suspended (\(text("providerId")))"
        case .sponsorLicenceReinstated: return "Sponsor licence reinstated (\(text("providerId")))"
        case .sponsorLicenceRevoked: return "Sponsor licence revoked (\(text("providerId")))"
        case .workerRegistered: return "Registered (\(text("route")), \(text("nationality")), \(text("laCode")))"
        case .jobOfferMade:
            var summary = "Offer \(text("offerId")) from \(text("providerId")): \(text("jobRole")), \(text("weeklyHours")) hours a week at \(pounds(data["hourlyPayPence"])) an hour (\(text("channel")))"
            if let clause = data["repaymentClause"] {
                summary += ", repayment clause of \(pounds(clause["amountPence"])) over \(clause["months"]?.integerValue.map(String.init) ?? "?") months"
            }
            return summary
        case .certificateOfSponsorshipAssigned: return "Certificate of sponsorship assigned by \(text("providerId")) (\(text("kind")))"
        case .visaGranted: return "Visa granted (\(text("route"))), leave until \(text("leaveExpiresOn"))"
        case .workerArrived: return "Arrived in the UK"
        case .rightToWorkChecked:
            let followUp = data["followUpDueOn"] == nil ? "" : ", follow-up due \(text("followUpDueOn"))"
            return "Right to work checked by \(text("providerId")) (\(text("method"))): \(text("outcome"))\(followUp)"
        case .dbsCheckCompleted:
            let overseas = data["overseasCertificate"]?.boolValue == true ? ", with an overseas certificate" : ""
            return "DBS check (\(text("level"))): \(text("outcome"))\(overseas)"
        case .employmentStarted:
            let via = data["viaReplacement"]?.boolValue == true ? ", via re-placement" : ""
            return "Started as \(text("jobRole")) with \(text("providerId")) (\(text("contractType")))\(via)"
        case .probationConcluded: return "Probation \(text("outcome")) (\(text("spellId")))"
        case .trainingCompleted:
            let standard = data["standardNumber"] == nil ? "" : ", standard \(text("standardNumber"))"
            return "Training completed: \(text("title")) (\(text("kind"))\(standard))"
        case .careCertificateAwarded: return "Care Certificate awarded"
        case .sponsorChangeReported: return "Sponsor reported \(text("change")) (\(text("spellId"))) on \(text("reportedOn"))"
        case .employmentEnded: return "Employment ended (\(text("spellId"))): \(text("reason"))"
        case .workerDisplaced: return "Displaced from \(text("providerId")); window to find a new sponsor ends \(text("windowEndsOn"))"
        case .caseOpened: return "Case \(text("caseId")) opened (\(text("caseType")), via \(text("channel")), owner \(text("ownerPartnerId")))"
        case .jobIntroductionMade: return "Introduced to \(text("providerId")) (\(text("platform")))"
        case .replacementSecured: return "New sponsor secured: \(text("newProviderId")) (\(text("evidence")))"
        case .supportProvided: return "Support from \(text("partnerId")): \(text("kind"))"
        case .referralMade: return "Referral \(text("referralId")) from \(text("fromPartnerId")) to \(text("toPartnerId")): \(text("reason"))"
        case .referralOutcomeRecorded: return "Referral \(text("referralId")): \(text("outcome"))"
        case .safeguardingConcernRaised:
            let referred = list("referredTo")
            return "Safeguarding concern \(text("concernId")): \(list("indicators").joined(separator: ", ")); "
                + (referred.isEmpty ? "not referred yet" : "referred to \(referred.joined(separator: ", "))")
        case .caseClosed: return "Case \(text("caseId")) closed: \(text("outcome"))"
        case .eventRetracted: return "Retracted event \(text("targetEventId")): \(text("reason"))"
        case .personalDataErased: return "Personal data erased (request \(text("requestReference")))"
        }
    }

    /// Pence as pounds: 1250 → £12.50.
    static func pounds(_ value: JSONValue?) -> String {
        guard let pence = value?.integerValue else { return "?" }
        let sign = pence < 0 ? "-" : ""
        return "\(sign)£\(abs(pence) / 100).\(pad(Int(abs(pence) % 100), 2))"
    }
}
