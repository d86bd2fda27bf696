import LMDBStore
import LedgerTestSupport

extension Environment {
    /// A database in an environment of its own, in a folder removed with the returned value.
    static func withOneDatabase(
        _ name: String, options: Database.Options = .create
    ) throws -> (TemporaryFolder, Environment, Database) {
        let folder = TemporaryFolder(name)
        let environment = try Environment(path: folder.path)
        return (folder, environment, try environment.openDatabase("records", options: options))
    }

    /// Every key and value of `db`, in the database's order (duplicates one by one).
    func everything(in db: Database) throws -> [(key: [UInt8], value: [UInt8])] {
        try read { txn in
            try txn.withCursor(db) { cursor in
                var all: [(key: [UInt8], value: [UInt8])] = []
                var more = try cursor.move(.first)
                while more {
                    all.append((Array(cursor.key), Array(cursor.value)))
                    more = try cursor.move(.next)
                }
                return all
            }
        }
    }
}
