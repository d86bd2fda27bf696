internal import Hummingbird
internal import HTTPTypes

/// Whether a request comes from this machine's own user: the one the server grants every role
/// while no tokens exist (SPEC section 8 serves loopback only then).
///
/// Arriving on loopback does not say so by itself:
/// - a reverse proxy on this machine forwards remote requests from loopback (and adds a header
///   saying so);
/// - a web page open in this machine's browser can reach a loopback server: a form posts to it
///   across origins without asking first (the browser says where from, in `Origin`, and for
///   every request in `Sec-Fetch-Site`), and a name an attacker points at 127.0.0.1 lets a page
///   read the answers (its `Host` is then that name).
enum LocalUser {
    /// Why `request` is not from this machine's own user, with the status to refuse it with, or
    /// `nil` when it is.
    static func refusal(of request: Request) -> (status: HTTPResponse.Status, reason: String)? {
        if let header = proxyHeaders.first(where: { request.headers[$0] != nil }) {
            return (.unauthorized, "this request came through a proxy (it carries \(header)), and without tokens only this machine's own user is served: make tokens first (careledger tokens add NAME --role ROLE)")
        }
        // No Host at all is an HTTP/1.0 client, not a browser: nothing to check.
        guard let authority = request.head.authority else { return nil }
        guard CareLedgerServer.isLoopback(hostName(of: authority)) else {
            return (.forbidden, "this request was addressed to \(authority), not to a loopback address: without tokens only this machine's own user is served, by 127.0.0.1, ::1 or localhost (a name pointed at this machine by a web page is refused)")
        }
        if let origin = request.headers[.origin], origin != "http://\(authority)" {
            return (.forbidden, "a web page from \(origin) sent this request; without tokens only this machine's own user is served, not pages it happens to have open")
        }
        // A browser says where every request comes from, images and frames included (which send
        // no Origin): a page of another site could otherwise still make the server record reveals.
        if let site = request.headers[secFetchSite], site != "same-origin", site != "none" {
            return (.forbidden, "a page of another site sent this request (Sec-Fetch-Site: \(site)); without tokens only this machine's own user is served, not pages it happens to have open")
        }
        return nil
    }

    /// The host of an authority (`127.0.0.1:8080`, `[::1]:8080`, `localhost`), without its port.
    static func hostName(of authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// The header a TLS proxy sets to the scheme the client used (`https`).
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// Headers a reverse proxy adds to what it forwards.
    static let proxyHeaders = [forwardedProto, HTTPField.Name("X-Forwarded-For")!, HTTPField.Name("Forwarded")!,
                               HTTPField.Name("X-Real-IP")!, HTTPField.Name("X-Forwarded-Host")!]
}
