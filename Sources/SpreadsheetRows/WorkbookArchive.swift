internal import CareLedger
internal import Foundation
internal import ZIPFoundation

/// A workbook's ZIP archive, `.xlsx` or `.ods`, whose parts are unpacked one at a time and
/// never past a limit: a few megabytes of ZIP can unpack to gigabytes.
struct WorkbookArchive {
    private let archive: Archive
    /// The file's name in refusals.
    let source: String
    /// The most bytes one part is unpacked to.
    let partLimit: Int

    private struct PartTooLarge: Error {}

    /// - Throws: ``LedgerError`` `rejected` for bytes that are not a ZIP archive, or one whose
    ///   directory points outside it (``ZIPBounds``).
    init(_ bytes: [UInt8], source: String, partLimit: Int) throws(LedgerError) {
        if let problem = ZIPBounds.problem(in: bytes) {
            throw LedgerError(.rejected, "\(source) is damaged: \(problem), so none of it is read")
        }
        do { archive = try Archive(data: Data(bytes), accessMode: .read) } catch {
            throw LedgerError(.rejected, "\(source) is not a workbook that can be read (\(error)): \(CSVRows.saveAs)")
        }
        self.source = source
        self.partLimit = partLimit
    }

    /// The part at `path` unpacked, or `nil` when the archive has none.
    /// - Throws: ``LedgerError`` `rejected` for a part over the limit or one that cannot be unpacked.
    func part(_ path: String) throws(LedgerError) -> Data? {
        guard let entry = archive[path] else { return nil }
        let tooLarge = LedgerError(.rejected, "\(source)'s part \(path) unpacks to over \(partLimit >> 20) MiB: record a sheet this large in parts")
        // Whatever its header claims, no part is unpacked past the limit.
        guard entry.uncompressedSize <= UInt64(partLimit) else { throw tooLarge }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= partLimit else { throw PartTooLarge() }
                data.append(chunk)
            }
        } catch is PartTooLarge {
            throw tooLarge
        } catch {
            throw LedgerError(.rejected, "\(source) is damaged: its part \(path) cannot be read (\(error))")
        }
        return data
    }

    /// Reads the part at `path` through `reader`.
    /// - Returns: `false` when the archive has no such part.
    /// - Throws: ``LedgerError`` `rejected` for a part that cannot be unpacked, or whose XML is
    ///   not well-formed: a sheet that breaks off is refused, not read in part.
    @discardableResult
    func read(_ path: String, with reader: PartReader) throws(LedgerError) -> Bool {
        guard let data = try part(path) else { return false }
        try read(data, of: path, with: reader)
        return true
    }

    /// Reads `data`, the part at `path` unpacked, through `reader`.
    /// - Throws: ``LedgerError`` `rejected` for XML that is not well-formed.
    func read(_ data: Data, of path: String, with reader: PartReader) throws(LedgerError) {
        if let fault = reader.read(data) {
            throw LedgerError(.rejected, "\(source) is damaged: its part \(path) is not well-formed XML (\(fault)), so none of it is read")
        }
    }
}
