/// Text from the log as it may be put before a person at a terminal. What writers send (a
/// partner's name, a reason, a training's title) may hold control characters, which JSON allows
/// and the chain keeps, and a terminal obeys them: an escape begins sequences that recolour the
/// screen, move the cursor, retitle the window or set the clipboard, and a carriage return
/// writes over what the line said; a bidirectional override (U+202E) shows the rest of a line
/// reversed where a terminal lays text out both ways, so that a table reads otherwise than it
/// is. So every table, message and summary for people shows each such character as its code,
/// `\u{1B}`, and runs none; JSON, NDJSON and CSV keep the text exactly as stored.
public enum TerminalText {
    /// `text` with its control characters (C0, DEL and C1) and bidirectional embeddings,
    /// overrides and isolates (U+202A to U+202E, U+2066 to U+2069) shown as `\u{1B}`, the form
    /// Swift writes them in; `multiline` keeps line breaks and tabs, as a message of several
    /// lines has. The marks a right-to-left name may need (U+200E, U+200F) are kept.
    public static func visible(_ text: String, multiline: Bool = false) -> String {
        func shownAsCode(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            let control = value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            return control && !(multiline && (scalar == "\n" || scalar == "\t"))
        }
        guard text.unicodeScalars.contains(where: shownAsCode) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if shownAsCode(scalar) {
                shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
