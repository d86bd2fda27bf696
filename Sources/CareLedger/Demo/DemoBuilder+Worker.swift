internal import LedgerJSON

/// One worker's story in the demo programme, told in date order.
extension DemoBuilder {
    mutating func worker(_ number: Int) {
        let ref = "W-" + pad(number, 5)
        let route = random.weighted([("overseasRecruitment", 82), ("displaced", 8), ("selfReferral", 5), ("partnerReferral", 5)])
        let nationality = random.weighted([("IN", 30), ("NG", 18), ("PH", 14), ("ZW", 12), ("GH", 8), ("KE", 6), ("ZA", 4), ("LK", 3), ("NP", 3), ("BD", 2)])
        let la = random.pick(DemoOrganisations.localAuthorities).code
        let registered = route == "overseasRecruitment"
            ? random.int(Self.day("2022-11-01")...(Self.recruitmentEnded - 25))
            : random.int(Self.day("2023-06-01")...Self.day("2026-08-31"))
        var data: [(String, JSONValue)] = [("workerRef", .string(ref)), ("route", .string(route)),
                                           ("nationality", .string(nationality)), ("laCode", .string(la))]
        if route != "overseasRecruitment" { data.append(("yearOfEntry", .integer(Int64(random.int(2019...2023))))) }
        if let pii = personalData(of: ref) { data.append(("pii", pii)) }
        guard add("WorkerRegistered", registered, data) != nil else { return }
        var story = WorkerStory(ref: ref, day: registered)

        switch route {
        case "overseasRecruitment":
            recruit(&story)
        case "displaced":
            if let revoked = revokedBefore(registered).last {
                story.day += random.int(0...5)
                displace(&story, from: revoked.id, visaExpiry: nil)
            } else {
                supportCase(&story, from: story.day, channel: "selfReferral")
            }
        default:
            if random.chance(0.6) { supportCase(&story, from: story.day, channel: route == "partnerReferral" ? "partner" : "selfReferral") }
            if random.chance(0.4) {
                story.day += random.int(10...60)
                let provider = employer(at: story.day)
                startSpell(&story, provider: provider.id, viaReplacement: false)
                employ(&story, provider: provider, visaExpiry: nil)
            }
        }
    }

    struct WorkerStory {
        let ref: String
        var day: Int
        var spells = 0
        var currentSpell: String?
        var displaced = false
        var hadSupportCase = false
        var trainingIDs: [(id: String, day: Int, title: String, kind: String)] = []
    }

    /// Recruitment from overseas: offer, sponsorship, visa, arrival, checks, then employment.
    mutating func recruit(_ story: inout WorkerStory) {
        let ref = JSONValue.string(story.ref)
        story.day += random.int(3...20)
        let provider = employer(at: story.day + 90)
        var offer: [(String, JSONValue)] = [
            ("workerRef", ref), ("offerId", .string("O-" + story.ref.dropFirst(2))), ("providerId", .string(provider.id)),
            ("soc", .string(random.weighted([("6135", 80), ("6136", 15), ("other", 5)]))),
            ("jobRole", .string(random.weighted([("careWorker", 80), ("seniorCareWorker", 15), ("nurse", 3), ("other", 2)]))),
            ("weeklyHours", .number(random.pick([37.5, 39, 40, 42, 45]))), ("hourlyPayPence", .integer(Int64(random.int(1090...1350)))),
            ("channel", .string(random.weighted([("direct", 45), ("ethicalAgency", 25), ("otherAgency", 20), ("regionalMatching", 10)]))),
        ]
        if random.chance(0.15) {
            offer.append(("repaymentClause", .object([("amountPence", .integer(Int64(random.int(5...40) * 10_000))),
                                                      ("months", .integer(Int64(random.pick([12, 18, 24, 36])))),
                                                      ("interestFree", .bool(random.chance(0.7))), ("itemised", .bool(random.chance(0.4)))])))
        }
        guard add("JobOfferMade", story.day, offer) != nil else { return }
        // A certificate assigned before 22 July 2025 could still bring a care worker from overseas;
        // none was assigned for one from that day on, so an offer made just before it is hurried.
        story.day = min(story.day + random.int(5...15), Self.recruitmentEnded - 1)
        guard add("CertificateOfSponsorshipAssigned", story.day, [("workerRef", ref), ("providerId", .string(provider.id)), ("kind", "defined")]) != nil else { return }
        story.day += random.int(15...40)
        let expiry = LocalDate(dayNumber: story.day).adding(months: 36).dayNumber
        guard add("VisaGranted", story.day, [("workerRef", ref), ("route", .string(random.chance(0.92) ? "healthAndCare" : "skilledWorker")), ("leaveExpiresOn", Self.date(expiry))]) != nil else { return }
        story.day += random.int(10...40)
        guard add("WorkerArrived", story.day, [("workerRef", ref)]) != nil else { return }
        story.day += random.int(1...3)
        guard add("RightToWorkChecked", story.day, [("workerRef", ref), ("providerId", .string(provider.id)),
                                                     ("method", .string(random.weighted([("shareCode", 70), ("employerCheckingService", 20), ("manual", 10)]))),
                                                     ("outcome", "timeLimited"), ("followUpDueOn", Self.date(expiry))]) != nil else { return }
        story.day += random.int(3...20)
        guard add("DbsCheckCompleted", story.day, [("workerRef", ref), ("level", .string(random.chance(0.8) ? "enhancedWithBarred" : "enhanced")),
                                                    ("overseasCertificate", .bool(random.chance(0.7))), ("outcome", .string(random.chance(0.95) ? "cleared" : "riskAssessed"))]) != nil else { return }
        story.day += random.int(1...10)
        startSpell(&story, provider: provider.id, viaReplacement: false)
        employ(&story, provider: provider, visaExpiry: expiry)
    }

    mutating func startSpell(_ story: inout WorkerStory, provider: String, viaReplacement: Bool) {
        story.spells += 1
        let spell = "S-" + story.ref.dropFirst(2) + "-\(story.spells)"
        let started = add("EmploymentStarted", story.day, [
            ("workerRef", .string(story.ref)), ("spellId", .string(spell)), ("providerId", .string(provider)),
            ("jobRole", .string(random.weighted([("careWorker", 85), ("seniorCareWorker", 15)]))),
            ("contractType", .string(random.weighted([("permanent", 70), ("temporary", 10), ("poolBank", 10), ("agency", 5), ("other", 5)]))),
            ("viaReplacement", .bool(viaReplacement)),
        ])
        story.currentSpell = started == nil ? nil : spell
    }

    /// Life in employment: training, probation, changes, then a revocation, a move or staying on.
    mutating func employ(_ story: inout WorkerStory, provider: (id: String, revokedOn: Int?), visaExpiry: Int?) {
        guard let spell = story.currentSpell else { return }
        let ref = JSONValue.string(story.ref)
        let started = story.day
        train(&story)
        let probationDay = started + random.int(90...180)
        let probation = random.weighted([("passed", 85), ("extended", 10), ("failed", 5)])
        add("ProbationConcluded", probationDay, [("workerRef", ref), ("spellId", .string(spell)), ("outcome", .string(probation))])
        if random.chance(0.08) {
            add("SponsorChangeReported", started + random.int(60...400), [
                ("workerRef", ref), ("spellId", .string(spell)),
                ("change", .string(random.pick(["payCut", "roleChange", "absence10Days", "unpaidLeave4Weeks"]))),
                ("reportedOn", Self.date(started + random.int(401...420))),
            ])
        }
        if random.chance(0.1) {
            supportCase(&story, from: started + random.int(30...300), channel: random.pick(["selfReferral", "partner", "localAuthority"]))
        }
        concernOutsideACase(story, employer: provider.id, from: started)
        if probation == "failed" {
            story.day = probationDay
            add("EmploymentEnded", story.day, [("workerRef", ref), ("spellId", .string(spell)), ("reason", "employmentTerminated")])
            return
        }
        if let revoked = provider.revokedOn, revoked > started, !story.displaced {
            story.day = revoked + random.int(0...14)
            displace(&story, from: provider.id, visaExpiry: visaExpiry, endingSpell: spell)
            return
        }
        guard random.chance(0.25) else { return }
        story.day = started + random.int(180...900)
        let reason = random.weighted([("movedToAnotherCareEmployer", 30), ("choseToLeave", 20), ("movedToHealth", 20),
                                      ("movedToOtherSector", 10), ("retired", 3), ("employmentTerminated", 7), ("notKnown", 10)])
        guard add("EmploymentEnded", story.day, [("workerRef", ref), ("spellId", .string(spell)), ("reason", .string(reason))]) != nil else { return }
        if reason == "movedToAnotherCareEmployer" {
            story.day += random.int(0...14)
            startSpell(&story, provider: employer(at: story.day, excluding: provider.id).id, viaReplacement: false)
        }
    }

    /// Now and then, a concern about a worker in employment raised outside any case (an inspection,
    /// a colleague, a helpline call): it names the worker and the employer, and no case. Drawn from
    /// ``outsideCases`` alone.
    mutating func concernOutsideACase(_ story: WorkerStory, employer: String, from started: Int) {
        guard outsideCases.chance(0.03) else { return }
        let indicators = outsideCases.distinct(1...2, of: ["underpaid", "noHours", "fees", "debt", "documentsWithheld", "accommodation", "sponsorshipThreat"])
        let referred = outsideCases.distinct(1...2, of: ["glaa", "ukvi", "laSafeguarding", "cqc", "modernSlaveryHelpline"])
        let day = started + outsideCases.int(30...400)
        add("SafeguardingConcernRaised", day, Self.concern("SGW-" + pad(outsideCaseEvents + 1, 4), worker: story.ref, provider: employer,
                                                          indicators: indicators, referredTo: referred), draws: .outsideCases)
    }

    /// Induction, mandatory training and the Care Certificate; a retraction or a late return now and then.
    mutating func train(_ story: inout WorkerStory) {
        let ref = JSONValue.string(story.ref)
        var day = story.day
        var courses: [(String, String, Int?)] = [("induction", "Employer induction", nil)]
        for title in ["Moving and handling", "Safeguarding adults", "Infection prevention and control", "Fire safety"] where random.chance(0.7) {
            courses.append(("mandatory", title, nil))
        }
        for standard in 1...15 where random.chance(0.5) {
            courses.append(("careCertificateStandard", "Care Certificate standard \(standard)", standard))
        }
        if random.chance(0.3) { courses.append(("english", "Workplace English for care", nil)) }
        if random.chance(0.1) { courses.append(("qualification", "Level 2 Diploma in Care", nil)) }
        for (kind, title, standard) in courses {
            day += random.int(2...12)
            var data: [(String, JSONValue)] = [("workerRef", ref), ("kind", .string(kind)), ("title", .string(title))]
            if let standard { data.append(("standardNumber", .integer(Int64(standard)))) }
            if let id = add("TrainingCompleted", day, data) { story.trainingIDs.append((id, day, title, kind)) }
        }
        if courses.count > 8, random.chance(0.7) { add("CareCertificateAwarded", day + random.int(1...14), [("workerRef", ref)]) }
        // A mistake corrected: the first course was recorded with the wrong title.
        if random.chance(0.02), let first = story.trainingIDs.first {
            let noticed = first.day + random.int(3...20)
            if add("EventRetracted", noticed, [("targetEventId", .string(first.id)), ("reason", "Recorded with the wrong course title")]) != nil {
                add("TrainingCompleted", first.day, [("workerRef", ref), ("kind", .string(first.kind)), ("title", .string(first.title + " (refresher)"))],
                    recordDay: noticed, meta: [("corrects", .string(first.id))])
            }
        }
        // A late provider return: training done months before it reached the ledger.
        if random.chance(0.03) {
            let done = story.day + random.int(20...60)
            add("TrainingCompleted", done, [("workerRef", ref), ("kind", "mandatory"), ("title", "Medication awareness")],
                recordDay: done + random.int(60...200))
        }
    }
}
