internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// A file read whole through a file handle, so that a pipe reads as a file does:
/// `--master-key <(vault read …)`, `append <(jq -c …)`. `FileManager.contents(atPath:)` reads
/// regular files only, and says nothing of why it could not read one: a file that is there
/// and cannot be read (not this user's to read, say) looked like one that is not there.
package enum WholeFile {
    /// Why a file could not be read, said after its name (`cannot read F: …`).
    package enum Failure: Error, Equatable {
        /// There is nothing at the path (`ENOENT`): of all the failures, the only one that
        /// says the file does not exist.
        case missing
        case folder, unreadable
        /// It holds more than the reader takes (`atMost`): a file that size is not the one
        /// meant, or is another command's (`/dev/zero` named by mistake reads forever).
        case larger(than: Int)
        case failed(String)

        /// The failure an `errno` of `open` or `stat` names.
        package init(code: Int32) {
            switch code {
            case ENOENT: self = .missing
            case EACCES, EPERM: self = .unreadable
            case EISDIR: self = .folder
            default: self = .failed(String(cString: strerror(code)))
            }
        }

        package var reason: String {
            switch self {
            case .missing: "no such file"
            case .folder: "it is a folder, not a file"
            case .unreadable: "it is not readable by this user"
            case .larger(let limit): "it holds more than \(byteSize(limit)), the most this reads"
            case .failed(let why): why
            }
        }
    }

    /// The size of the file at `path` when it is a regular file; `nil` for a pipe, a device,
    /// a folder or nothing. A pipe can be read only once, and its size is not known before.
    package static func regularFileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// The bytes of the file at `path`, read to its end, or refused when it holds more than
    /// `limit` bytes: a regular file by its size, before any is read; a pipe or a device once
    /// that much has come, so that a stream without end cannot fill the memory.
    package static func read(_ path: String, atMost limit: Int = .max) throws(Failure) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(code: errno) }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw .folder }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > limit { throw .larger(than: limit) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        return try read(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true), atMost: limit)
    }

    /// The bytes of standard input to its end, or refused once more than `limit` have come.
    package static func readStandardInput(atMost limit: Int = .max) throws(Failure) -> [UInt8] {
        try read(FileHandle.standardInput, atMost: limit)
    }

    private static func read(_ handle: FileHandle, atMost limit: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                guard block.count <= limit - bytes.count else { throw Failure.larger(than: limit) }
                bytes += block
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .failed(error.localizedDescription)
        }
        return bytes
    }
}
