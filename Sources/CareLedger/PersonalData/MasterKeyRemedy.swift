/// What a refusal for want of the master key says, and what kind of refusal it is, by where the
/// process runs: at a shell the person refused can pass the key, while a server's client cannot,
/// so it is told that the server cannot do this until its operator gives it the key, not that its
/// request was wrong (a writer that sees 503 keeps its batch and sends it again later).
public struct MasterKeyRemedy: Sendable {
    /// The refusal's kind.
    let code: LedgerError.Code
    /// The words after "… needs the master key, and": who can supply it, and how.
    let remedy: String

    /// A command run at a shell: its user passes the key.
    public static let commandLine = MasterKeyRemedy(
        code: .rejected,
        remedy: "none was given: pass --master-key FILE (or set CARELEDGER_MASTER_KEY_FILE or CARELEDGER_MASTER_KEY); make one with `careledger keys init --master-key FILE`")

    /// `careledger serve`: only its operator can give it the key, by restarting it.
    public static let server = MasterKeyRemedy(
        code: .unavailable,
        remedy: "this server was started without one: its operator must restart `careledger serve` with --master-key FILE (or with CARELEDGER_MASTER_KEY_FILE set)")
}
