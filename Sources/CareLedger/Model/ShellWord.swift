/// A path as a shell reads it back: what goes into a command line that CareLedger suggests
/// (`careledger init --data 'Programme data'`), so that copying it works whatever the path holds.
package enum ShellWord {
    /// `text` unchanged when a POSIX shell would read it as one word as it is, otherwise in single
    /// quotes (a quote inside written `'\''`).
    package static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", ":", "@", "%", "+", "=", ",": true
            default: false
            }
        }
        return plain ? text : "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
