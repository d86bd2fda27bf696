import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("Timeline summaries")
struct EventSummaryTests {
    @Test func theSPECsOwnExamples() {
        #expect(EventSummary.of(.employmentStarted, data: ["workerRef": "W-00123", "spellId": "S-00123-1", "providerId": "P-042",
                                                          "jobRole": "careWorker", "contractType": "permanent", "viaReplacement": false])
                == "Started as careWorker with P-042 (permanent)")
        #expect(EventSummary.of(.sponsorLicenceRevoked, data: ["providerId": "P-042"]) == "Sponsor licence revoked (P-042)")
    }

    @Test("every type has a summary, with no placeholder left", arguments: EventType.allCases)
    func everyType(type: EventType) throws {
        let example = try #require(Fixtures.examples[type.rawValue]?["data"])
        let summary = EventSummary.of(type, data: example)
        #expect(!summary.isEmpty && !summary.contains("?"), "\(summary)")
    }

    @Test func moneyAndDetails() {
        let offer = Fixtures.examples["JobOfferMade"]!["data"]!
        #expect(EventSummary.of(.jobOfferMade, data: offer)
                == "Offer O-1 from P-2: seniorCareWorker, 37.5 hours a week at £12.50 an hour (regionalMatching), repayment clause of £1500.00 over 24 months")
        #expect(EventSummary.of(.safeguardingConcernRaised, data: ["concernId": "SG-1", "indicators": ["fees", "debt"], "referredTo": []])
                == "Safeguarding concern SG-1: fees, debt; not referred yet")
    }

    @Test func personalDataIsNeverInASummary() {
        let registered = EventSummary.of(.workerRegistered, data: ["workerRef": "W-1", "route": "displaced", "nationality": "NG", "laCode": "E08000026",
                                                                   "pii": ["givenName": "Maria", "familyName": "Santos"]])
        #expect(!registered.contains("Maria") && !registered.contains("Santos"))
        let support = EventSummary.of(.supportProvided, data: ["caseId": "C-1", "partnerId": "PT-2", "kind": "housing", "notes": "Sleeping at a friend's"])
        #expect(support == "Support from PT-2: housing")
    }

    /// A timeline prefixes an event of another stream with that stream's id unless the summary
    /// names it already, as a whole id: W-1 is not named by W-10.
    @Test func anIdIsNamedOnlyWhole() {
        #expect(EventSummary.names("C-1", in: "Case C-1 opened (support)"))
        #expect(EventSummary.names("W-1", in: "W-1"))
        #expect(!EventSummary.names("W-1", in: "Registered W-10 (displaced)"))
        #expect(!EventSummary.names("W-1", in: "XW-1 arrived"))
        #expect(EventSummary.names("W-1", in: "W-10 and W-1"))
        // A colon or full stop ending a phrase is punctuation; within an id it is the id's.
        #expect(EventSummary.names("SG-1", in: "Safeguarding concern SG-1: fees; not referred yet"))
        #expect(EventSummary.names("W-1", in: "Arrived: W-1."))
        #expect(!EventSummary.names("SG-1", in: "Safeguarding concern SG-1:2: fees"))
        #expect(!EventSummary.names("SG-1", in: "Safeguarding concern SG-1.5 raised"))
    }
}
