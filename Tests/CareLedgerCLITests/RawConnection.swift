import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connection of its own to a test's server on 127.0.0.1, sending bytes as given: for framing,
/// pace and numbers of connections that no client library would send.
final class RawConnection {
    private let socket: Int32
    private var received: [UInt8] = []
    /// Whether the server has closed the connection (read to its end, or reset it).
    private(set) var closed = false

    init(port: UInt16) {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(socket >= 0)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = port.bigEndian
        target.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0, "could not connect to port \(port)")
        var wait = timeval(tv_sec: 0, tv_usec: 100_000)  // to look at the clock between reads
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The connection to the server at `address` (`http://127.0.0.1:PORT`).
    convenience init(to address: String) {
        self.init(port: UInt16(address.split(separator: ":").last!)!)
    }

    deinit { close() }

    /// Closes the connection from this side (once).
    func close() {
        if !shut { Glibc.close(socket) }
        shut = true
    }

    private var shut = false

    /// What has arrived so far, as text.
    var answer: String { String(decoding: received, as: UTF8.self) }

    /// Sends `text`; false when the server has closed the connection (no SIGPIPE is raised).
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
    }

    /// Reads until `done` holds of what has arrived, the server closes the connection, or
    /// `seconds` have passed; answers whether `done` held or the connection closed.
    @discardableResult
    func read(for seconds: Double, until done: (String) -> Bool = { _ in false }) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while !closed, !done(answer) {
            let count = recv(socket, &chunk, chunk.count, 0)
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                if Date() >= deadline { return false }
                continue
            }
            if count <= 0 { closed = true } else { received += chunk[..<count] }
        }
        return true
    }

    /// Reads one whole answer to a request without a body's framing beyond Content-Length.
    @discardableResult
    func readAnswer(for seconds: Double) -> Bool {
        read(for: seconds) { text in
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            let length = text[..<end.lowerBound].split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            return text.utf8.count - text[..<end.upperBound].utf8.count >= length
        }
    }
}
