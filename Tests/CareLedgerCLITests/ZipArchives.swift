import Foundation
import ZIPFoundation

/// Writes a ZIP archive at `path` holding `entries`, each a part's path and its text, in order:
/// a workbook (or a file that only looks like one) made for a test.
func zip(_ entries: KeyValuePairs<String, String>, to path: String) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (name, text) in entries {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
