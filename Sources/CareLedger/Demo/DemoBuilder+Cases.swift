internal import LedgerJSON

/// Displacement, re-placement and support: the case work of the demo programme.
extension DemoBuilder {
    static let caseOwners = ["PT-01", "PT-01", "PT-01", "PT-02", "PT-03", "PT-04", "PT-05", "PT-06", "PT-07"]
    static let supportOwners = ["PT-08", "PT-09", "PT-10", "PT-11", "PT-12", "PT-13", "PT-14"]
    static let supportPartners = ["PT-08", "PT-09", "PT-10", "PT-11", "PT-12", "PT-13", "PT-14", "PT-15", "PT-16", "PT-17", "PT-18", "PT-20"]

    mutating func nextCase() -> String {
        caseCounter += 1
        return "C-" + pad(caseCounter, 5)
    }

    /// A revoked licence: the certificate of sponsorship is cancelled, the worker has 60 days (or
    /// until the visa ends) to find a new sponsor, and a re-placement case opens.
    mutating func displace(_ story: inout WorkerStory, from provider: String, visaExpiry: Int?, endingSpell spell: String? = nil) {
        story.displaced = true
        let ref = JSONValue.string(story.ref)
        let occurred = story.day
        let windowEnds = max(occurred, min(occurred + 60, visaExpiry ?? occurred + 60))
        guard add("WorkerDisplaced", occurred, [("workerRef", ref), ("providerId", .string(provider)), ("windowEndsOn", Self.date(windowEnds))]) != nil else { return }
        if let spell {
            add("EmploymentEnded", occurred, [("workerRef", ref), ("spellId", .string(spell)), ("reason", "sponsorRevoked")])
            story.currentSpell = nil
        }
        let caseId = nextCase()
        let opened = occurred + random.int(0...7)
        guard add("CaseOpened", opened, [
            ("caseId", .string(caseId)), ("workerRef", ref), ("caseType", "replacement"),
            ("channel", .string(random.weighted([("spocMailbox", 40), ("ukviSignpost", 20), ("localAuthority", 20), ("partner", 15), ("selfReferral", 5)]))),
            ("ownerPartnerId", .string(random.pick(Self.caseOwners))),
        ]) != nil else { return }
        var day = opened
        var introduced: [String] = []
        for _ in 0..<random.int(1...3) {
            day += random.int(3...20)
            let candidate = employer(at: day, excluding: provider).id
            if add("JobIntroductionMade", day, [("caseId", .string(caseId)), ("providerId", .string(candidate)),
                                                ("platform", .string(random.weighted([("lifted", 50), ("direct", 40), ("other", 10)])))]) != nil {
                introduced.append(candidate)
            }
        }
        if random.chance(0.4) {
            supportCase(&story, from: opened + random.int(1...10), channel: random.pick(["partner", "localAuthority", "selfReferral"]))
        }
        if random.chance(0.08) {
            concernCounter += 1
            let indicators = random.distinct(1...3, of: ["fees", "debt", "documentsWithheld", "underpaid", "noHours", "accommodation", "sponsorshipThreat", "other"])
            let referred = random.distinct(0...3, of: ["glaa", "modernSlaveryHelpline", "nrm", "ukvi", "police", "cqc", "laSafeguarding"])
            let raised = opened + random.int(0...10)
            // Drawn from concernFollowUps alone: a partner's report may name the case and not
            // the worker; and now and then a concern was raised on the wrong case, and retracted.
            let namesOnlyTheCase = concernFollowUps.chance(0.3)
            let data = Self.concern("SG-" + pad(concernCounter, 4), case: caseId, worker: namesOnlyTheCase ? nil : story.ref, provider: provider,
                                    indicators: indicators, referredTo: referred)
            retractNowAndThen(add("SafeguardingConcernRaised", raised, data), raised: raised)
        }
        let outcome = introduced.isEmpty ? "windowExpired"
            : random.weighted([("placed", 65), ("otherVisa", 8), ("leftUk", 7), ("windowExpired", 15), ("lostContact", 5)])
        switch outcome {
        case "placed":
            let secured = max(day, min(windowEnds, day + random.int(3...20)))
            let newProvider = random.pick(introduced)
            add("ReplacementSecured", secured, [("caseId", .string(caseId)), ("newProviderId", .string(newProvider)),
                                                ("evidence", .string(random.chance(0.6) ? "verified" : "selfReported"))])
            story.day = secured + random.int(0...7)
            startSpell(&story, provider: newProvider, viaReplacement: true)
            add("CaseClosed", story.day + random.int(1...10), [("caseId", .string(caseId)), ("outcome", "placed")])
        case "windowExpired":
            // After the window, and after the last introduction (which may fall beyond a short window).
            add("CaseClosed", max(day, windowEnds) + random.int(1...5), [("caseId", .string(caseId)), ("outcome", "windowExpired")])
        default:
            add("CaseClosed", day + random.int(5...40), [("caseId", .string(caseId)), ("outcome", .string(outcome))])
        }
    }

    /// A support case opened on `opened`: episodes of help from partners, sometimes a referral
    /// between them. A worker has one support case in the demo, so that two never overlap.
    mutating func supportCase(_ story: inout WorkerStory, from opened: Int, channel: String) {
        guard !story.hadSupportCase else { return }
        story.hadSupportCase = true
        let caseId = nextCase()
        let owner = random.pick(Self.supportOwners)
        var day = opened
        guard add("CaseOpened", day, [("caseId", .string(caseId)), ("workerRef", .string(story.ref)), ("caseType", "support"),
                                      ("channel", .string(channel)), ("ownerPartnerId", .string(owner))]) != nil else { return }
        for _ in 0..<random.int(1...4) {
            day += random.int(1...21)
            var support: [(String, JSONValue)] = [
                ("caseId", .string(caseId)), ("partnerId", .string(random.pick(Self.supportPartners))),
                ("kind", .string(random.pick(["pastoral", "wellbeing", "mentalHealth", "emergencyFinancial", "food", "housing",
                                              "immigrationAdvice", "employmentRights", "english", "cvInterview", "digitalOnboarding"]))),
            ]
            if let notes = supportNotes() { support.append(("notes", notes)) }
            add("SupportProvided", day, support)
        }
        concernInASupportCase(caseId, worker: story.ref, raisedFrom: opened, to: day)
        if random.chance(0.4) {
            referralCounter += 1
            let referral = "R-" + pad(referralCounter, 5)
            let to = random.pick(Self.supportPartners.filter { $0 != owner })
            day += random.int(1...10)
            add("ReferralMade", day, [("caseId", .string(caseId)), ("referralId", .string(referral)), ("fromPartnerId", .string(owner)),
                                      ("toPartnerId", .string(to)), ("reason", .string(random.pick(["Housing at risk after job loss", "Needs specialist immigration advice",
                                                                                                    "Debt to a recruitment agent", "Low mood and isolation"])))])
            if random.chance(0.8) {
                day += random.int(2...20)
                add("ReferralOutcomeRecorded", day, [("caseId", .string(caseId)), ("referralId", .string(referral)),
                                                     ("outcome", .string(random.weighted([("accepted", 50), ("completed", 30), ("declined", 10), ("noContact", 10)])))])
            }
        }
        // Recent cases are often still open: the current caseload.
        if opened > Self.lastDay - 400, random.chance(0.35) { return }
        add("CaseClosed", day + random.int(5...60), [("caseId", .string(caseId)), ("outcome", "supportComplete")])
    }

    /// Now and then, a concern that a support partner raises in a support case (debt to an
    /// agent, documents withheld): it names the case, and the worker only half the time. Drawn
    /// from ``concernFollowUps`` alone.
    mutating func concernInASupportCase(_ caseId: String, worker: String, raisedFrom opened: Int, to last: Int) {
        guard concernFollowUps.chance(0.12) else { return }
        supportCaseConcerns += 1
        let indicators = concernFollowUps.distinct(1...2, of: ["debt", "fees", "documentsWithheld", "accommodation", "underpaid", "other"])
        let referred = concernFollowUps.distinct(0...2, of: ["glaa", "modernSlaveryHelpline", "nrm", "laSafeguarding", "police"])
        let data = Self.concern("SGC-" + pad(supportCaseConcerns, 4), case: caseId, worker: concernFollowUps.chance(0.5) ? worker : nil,
                                indicators: indicators, referredTo: referred)
        let raised = opened + concernFollowUps.int(0...max(0, last - opened))
        retractNowAndThen(add("SafeguardingConcernRaised", raised, data, draws: .concernFollowUps), raised: raised)
    }

    /// A `SafeguardingConcernRaised`'s data: the concern, what it names, and what it found and
    /// whom it went to. The ids are texts, not JSON values: a `nil` value would read as JSON null.
    static func concern(_ id: String, case caseId: String? = nil, worker: String? = nil, provider: String? = nil,
                        indicators: [String], referredTo referred: [String]) -> [(String, JSONValue)] {
        var data: [(String, JSONValue)] = [("concernId", .string(id))]
        if let caseId { data.append(("caseId", .string(caseId))) }
        if let worker { data.append(("workerRef", .string(worker))) }
        if let provider { data.append(("providerId", .string(provider))) }
        return data + [("indicators", .array(indicators.map { .string($0) })), ("referredTo", .array(referred.map { .string($0) }))]
    }

    /// One concern in five raised in a case (the third, the eighth, …) turns out to have been
    /// raised on the wrong case, and is retracted a few days on: counted rather than drawn, so
    /// that even a small demo has one. The day is drawn from ``concernFollowUps`` alone.
    mutating func retractNowAndThen(_ concern: String?, raised: Int) {
        guard let concern else { return }
        concernsInCases += 1
        guard concernsInCases % 5 == 3 else { return }
        add("EventRetracted", raised + concernFollowUps.int(2...15),
            [("targetEventId", .string(concern)), ("reason", "Raised on the wrong case")], draws: .concernFollowUps)
    }
}
