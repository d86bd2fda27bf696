import CareLedger
import Testing

@Suite("ShellWord: paths in suggested commands")
struct ShellWordTests {
    @Test(arguments: [
        ("/srv/careledger", "/srv/careledger"), ("pack-2024-25", "pack-2024-25"), ("", "''"),
        ("Programme data", "'Programme data'"), ("Board's pack", #"'Board'\''s pack'"#), ("£", "'£'"), ("$HOME", "'$HOME'"),
    ])
    func quoted(text: String, expected: String) {
        #expect(ShellWord.quoted(text) == expected)
    }
}
