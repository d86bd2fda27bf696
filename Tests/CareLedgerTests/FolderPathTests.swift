@testable import CareLedger
import Testing

@Suite("FolderPath: the folder that holds a path")
struct FolderPathTests {
    @Test(arguments: [
        ("l", "."), ("ledger", "."), ("a/b", "a"), ("a/b/", "a"), ("a//b", "a"), ("/a", "/"), ("/", "/"),
        ("/srv/careledger/ledger", "/srv/careledger"), (".", "."), ("./x", "."), ("../x", ".."),
    ])
    func parent(path: String, expected: String) {
        #expect(FolderPath.parent(of: path) == expected)
    }
}
