/// `1 event`, `2 events`: a count with its noun, for the sentences commands and pages print.
/// - Parameter plural: the noun for any count but 1, where adding "s" is wrong (`entries`).
package func counted(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

/// `16 MiB`, `1 GiB`, `64 KiB`: a limit in bytes as a sentence gives it, in the largest binary
/// unit it fills (limits are powers of two, so nothing is lost).
package func byteSize(_ count: Int) -> String {
    if count >= 1 << 30 { return "\(count >> 30) GiB" }
    if count >= 1 << 20 { return "\(count >> 20) MiB" }
    if count >= 1 << 10 { return "\(count >> 10) KiB" }
    return counted(count, "byte")
}
