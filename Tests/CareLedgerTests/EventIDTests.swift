import CareLedger
import Testing

@Suite("Event ids")
struct EventIDTests {
    @Test func anyCaseOfHexReadsBackAsLowercase() {
        let id = EventID("9B2F6C1E-3c1a-4E7E-9a54-2F1D0C3B7A10")
        #expect(id?.description == "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10")
        #expect(EventID("00000000-0000-0000-0000-000000000000")?.description == "00000000-0000-0000-0000-000000000000")
        #expect(EventID("ffffffff-ffff-ffff-ffff-ffffffffffff")?.description == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test(arguments: [
        "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a1",     // short
        "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a100",   // long
        "9b2f6c1e3c1a-4e7e-9a54-2f1d0c3b7a100",    // a dash missing
        "9b2f6c1e-3c1a-4e7e-9a54_2f1d0c3b7a10",    // not a dash
        "9b2f6c1g-3c1a-4e7e-9a54-2f1d0c3b7a10",    // g
        "9b2f6c1@-3c1a-4e7e-9a54-2f1d0c3b7a10",    // just before A
        "9b2f6c1/-3c1a-4e7e-9a54-2f1d0c3b7a10",    // just before 0
        "9b2f6c1:-3c1a-4e7e-9a54-2f1d0c3b7a10",    // just after 9
        "9b2f6c1G-3c1a-4e7e-9a54-2f1d0c3b7a10",    // G
        "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a1`",    // just before a, in the last digit
        "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a1\u{7F}", // DEL, in the last digit
    ])
    func anythingElseIsNotAnID(_ text: String) {
        #expect(EventID(text) == nil)
    }
}
