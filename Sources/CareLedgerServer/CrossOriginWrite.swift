internal import Hummingbird
internal import HTTPTypes

/// A request that would change something, sent by a web page of another origin: refused, so
/// that no page but the dashboard's own can make a signed-in browser record, erase or sign in.
///
/// The sign-in cookie is `SameSite=Strict`, which keeps pages of other sites from sending it, but
/// a site is only the host: a page served from another port of the same machine, or from a
/// sibling name, is the same site and its forms and `fetch` calls carry the cookie. The browser
/// says where every such request comes from (`Origin` on a post, `Sec-Fetch-Site` on all), and
/// a client that is not a browser sends neither.
enum CrossOriginWrite {
    /// Why `request` is refused, or `nil`: it reads, or it comes from this server's own pages, or
    /// from a client that is not a browser.
    static func refusal(of request: Request) -> String? {
        guard request.method != .get && request.method != .head && request.method != .options else { return nil }
        let authority = request.head.authority ?? ""
        if let origin = request.headers[.origin], origin != "http://" + authority, origin != "https://" + authority {
            return "a web page from \(origin) sent this request; only this server's own pages may change anything from a browser, and nothing was done"
                + (viaProxy(request) ? proxyHint(authority) : "")
        }
        if let site = request.headers[LocalUser.secFetchSite], site != "same-origin", site != "none" {
            return "a page of another origin sent this request (Sec-Fetch-Site: \(site)); only this server's own pages may change anything from a browser, and nothing was done"
        }
        return nil
    }

    /// Whether `request` came through a proxy, by the headers a proxy adds.
    private static func viaProxy(_ request: Request) -> Bool {
        LocalUser.proxyHeaders.contains { request.headers[$0] != nil }
    }

    /// What an operator whose proxy rewrote `Host` needs to read: a page of this server's own
    /// then names another origin than the one this server is asked for, and every post from the
    /// dashboard is refused. The browser's user passes it on.
    private static func proxyHint(_ authority: String) -> String {
        ". If that page is this server's own, served through a proxy, the proxy did not pass on the Host the browser asked for (this server was asked for \(authority.isEmpty ? "no host" : authority)): in nginx, proxy_set_header Host $host;"
    }
}
