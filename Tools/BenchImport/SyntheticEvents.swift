import CareLedger

/// A deterministic stream of valid events shaped like the programme's: partners and providers,
/// then workers through recruitment, onboarding, training and employment, with some endings,
/// cases and support. Only for the benchmark until `careledger demo` exists.
struct SyntheticEvents {
    private var state: UInt64
    private var workers = 0
    private var queue: [String] = []
    private var emitted = 0

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    private mutating func random() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int(random() % UInt64(values.count))] }

    private mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var out = ""
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append("-") }
            out.append(i == 12 ? "4" : hex[Int(random() % 16)])
        }
        return out
    }

    private static let laCodes = ["E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030",
                                  "E08000031", "E06000019", "E06000020", "E06000021", "E10000028", "E10000031",
                                  "E10000034", "E06000051"]

    private mutating func event(_ type: String, _ date: LocalDate, _ data: String) -> String {
        emitted += 1
        return #"{"id":"\#(uuid())","type":"\#(type)","schemaVersion":1,"occurredOn":"\#(date)","data":{\#(data)},"meta":{"actor":"staff:bench","source":"import:benchmark","correlationId":"corr-\#(emitted)"}}"#
    }

    /// The next event, as one NDJSON line without its newline.
    mutating func next() -> String {
        if queue.isEmpty { refill() }
        return queue.removeFirst()
    }

    private mutating func refill() {
        let start = LocalDate(year: 2023, month: 3, day: 1)!
        if emitted == 0 {
            for p in 1...30 {
                queue.append(event("PartnerRegistered", start, #""partnerId":"PT-\#(p)","name":"Partner organisation \#(p)","kind":"\#(pick(["hub", "adviceService", "communityOrg", "faithGroup", "housing", "localAuthority"]))","laCode":"\#(pick(Self.laCodes))""#))
            }
            for p in 1...200 {
                queue.append(event("ProviderRegistered", start, #""providerId":"P-\#(p)","name":"Care provider \#(p) Ltd","laCode":"\#(pick(Self.laCodes))","cqcLocationId":"1-\#(100_000_000 + p)","sponsorRating":"a""#))
            }
            return
        }
        workers += 1
        let w = "W-\(workers)"
        let provider = "P-\(1 + random() % 200)"
        var day = start.adding(days: Int(random() % 700))
        func step() -> LocalDate { day = day.adding(days: 1 + Int(random() % 20)); return day }
        queue.append(event("WorkerRegistered", day, #""workerRef":"\#(w)","route":"overseasRecruitment","nationality":"\#(pick(["IN", "NG", "PH", "ZW", "GH", "KE"]))","laCode":"\#(pick(Self.laCodes))","yearOfEntry":2023"#))
        queue.append(event("JobOfferMade", step(), #""workerRef":"\#(w)","offerId":"O-\#(workers)","providerId":"\#(provider)","soc":"6135","jobRole":"careWorker","weeklyHours":37.5,"hourlyPayPence":\#(1150 + random() % 200),"channel":"direct""#))
        queue.append(event("CertificateOfSponsorshipAssigned", step(), #""workerRef":"\#(w)","providerId":"\#(provider)","kind":"defined""#))
        queue.append(event("VisaGranted", step(), #""workerRef":"\#(w)","route":"healthAndCare","leaveExpiresOn":"\#(day.adding(months: 36))""#))
        queue.append(event("WorkerArrived", step(), #""workerRef":"\#(w)""#))
        queue.append(event("RightToWorkChecked", step(), #""workerRef":"\#(w)","providerId":"\#(provider)","method":"shareCode","outcome":"timeLimited","followUpDueOn":"\#(day.adding(months: 36))""#))
        queue.append(event("DbsCheckCompleted", step(), #""workerRef":"\#(w)","level":"enhancedWithBarred","overseasCertificate":true,"outcome":"cleared""#))
        queue.append(event("EmploymentStarted", step(), #""workerRef":"\#(w)","spellId":"S-\#(workers)-1","providerId":"\#(provider)","jobRole":"careWorker","contractType":"permanent","viaReplacement":false"#))
        for title in ["Employer induction", "Moving and handling", "Safeguarding adults"] {
            queue.append(event("TrainingCompleted", step(), #""workerRef":"\#(w)","kind":"mandatory","title":"\#(title)""#))
        }
        queue.append(event("ProbationConcluded", step(), #""workerRef":"\#(w)","spellId":"S-\#(workers)-1","outcome":"passed""#))
        if random() % 4 == 0 {
            queue.append(event("EmploymentEnded", step(), #""workerRef":"\#(w)","spellId":"S-\#(workers)-1","reason":"\#(pick(["choseToLeave", "movedToHealth", "sponsorRevoked", "notKnown"]))""#))
            queue.append(event("CaseOpened", step(), #""caseId":"C-\#(workers)","workerRef":"\#(w)","caseType":"support","channel":"partner","ownerPartnerId":"PT-\#(1 + random() % 30)""#))
            queue.append(event("SupportProvided", step(), #""caseId":"C-\#(workers)","partnerId":"PT-\#(1 + random() % 30)","kind":"\#(pick(["housing", "wellbeing", "cvInterview", "food"]))""#))
            queue.append(event("CaseClosed", step(), #""caseId":"C-\#(workers)","outcome":"supportComplete""#))
        }
    }
}
