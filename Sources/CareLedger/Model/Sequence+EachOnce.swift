extension Sequence where Element: Hashable {
    /// The elements in their order, each once, where it first comes: a list a person typed may
    /// name a thing twice, and a sheet, a file name or a page should not say it twice.
    package func eachOnce() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
