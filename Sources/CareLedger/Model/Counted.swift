/// `1 event`, `2 events`: a count with its noun, for the sentences commands and pages print.
/// - Parameter plural: the noun for any count but 1, where adding "s" is wrong (`entries`).
package func counted(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}
