/// Escapes text for HTML element content and attribute values.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// A link that downloads `path`'s answer as CSV (`format=csv`) with `parameters`: the options the
/// section was drawn with, its `knownAt` among them, so the file holds the figures on the screen.
func csvLink(_ path: String, _ parameters: [(String, String)]) -> String {
    let query = (parameters + [("format", "csv")]).map { name, value in "\(name)=\(queryEncoded(value))" }.joined(separator: "&")
    return " <a class=\"csv\" href=\"\(escape(path + "?" + query))\">Download CSV</a>"
}

/// `text` with every byte but letters, digits and `-._~:` percent-encoded, for a query's value.
private func queryEncoded(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
            out.append(Character(Unicode.Scalar(byte)))
        default:
            let hex = Array("0123456789ABCDEF")
            out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
        }
    }
    return out
}

/// A table from header and rows of already-escaped cells, in a block that scrolls sideways
/// when the window is narrower than the table (the partner table's ten columns on a laptop's half
/// screen), rather than running off the page.
func htmlTable(_ id: String, _ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
    var html = "<div class=\"scroll\"><table id=\"\(id)\"><thead><tr>" + header.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
    for row in rows {
        html += "<tr>" + row.enumerated().map { i, cell in numeric.contains(i) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>" }.joined() + "</tr>"
    }
    if rows.isEmpty { html += "<tr><td colspan=\"\(header.count)\">none</td></tr>" }
    return html + "</tbody></table></div>"
}

/// The page around a body: inline style only, no scripts, fonts or network; the body in a
/// `main` landmark, which a screen reader's user can jump to.
func page(title: String, body: String) -> String {
    """
    <!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
    body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1d2733;background:#fff}
    h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ccd}
    table{border-collapse:collapse;font-size:.85rem}th,td{padding:.25rem .5rem;border-bottom:1px solid #e4e7ee;text-align:left}
    td.n{text-align:right;font-variant-numeric:tabular-nums}td:first-child{white-space:nowrap}.note{color:#556;font-size:.85rem}
    .flag{background:#fde8e8;color:#8a1c1c;border-radius:3px;padding:0 .3rem;margin-right:.2rem;font-size:.75rem}
    .totals span{display:inline-block;margin-right:1.2rem}.big{font-size:1.6rem;font-weight:600}
    form.query{margin-top:1rem}form.query input{margin-right:.6rem}svg{background:#fafbfd;border:1px solid #e4e7ee;max-width:100%;height:auto}
    .scroll{overflow-x:auto}details{margin:.4rem 0}summary{cursor:pointer;font-size:.85rem}ul{font-size:.85rem;margin:.3rem 0}
    .notice{background:#fff4e5;border-left:3px solid #b35c00;padding:.4rem .6rem;font-size:.9rem}
    </style></head><body><main>\(body)</main></body></html>
    """
}
