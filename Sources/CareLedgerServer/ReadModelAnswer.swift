internal import Hummingbird
internal import HTTPTypes
internal import NIOCore
internal import CareLedger
internal import LedgerJSON
internal import ProjectionKit
internal import SpreadsheetRows

/// A read model's answer as JSON (SPEC 8), or as the CSV `careledger query … --csv` prints, for
/// a programme officer who takes the figures into a spreadsheet from the dashboard, where no
/// command line is at hand.
enum ReadModelAnswer: Sendable {
    case json(JSONValue)
    /// The table's CSV, and the file name a browser saves it under (without `.csv`).
    case csv(ReportTable, name: String)
    /// A workbook's bytes (a sheet to fill in), its format, and the file name a browser saves
    /// it under (without its extension).
    case workbook([UInt8], ReturnWorkbook.Format, name: String)

    /// The form a request asks for: `format=csv` or `format=json`, else `Accept: text/csv`, else JSON.
    enum Format: Sendable {
        case json, csv

        /// - Parameter others: the route's other formats, for the refusal of one it does not know.
        init(_ request: Request, or others: [String] = []) throws(LedgerError) {
            switch request.uri.queryParameters["format"].map(String.init) {
            case "csv"?: self = .csv
            case "json"?: self = .json
            case let other?:
                let known = ["json", "csv"] + others
                throw LedgerError(.usage, "format=\(other) must be \(known.dropLast().joined(separator: ", ")) or \(known.last!)")
            case nil: self = request.headers[.accept]?.contains("text/csv") == true ? .csv : .json
            }
        }
    }

    var response: Response {
        switch self {
        case .json(let value):
            return jsonResponse(value)
        case .csv(let table, let name):
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8; header=present"]
            headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: table.csv)))
        case .workbook(let bytes, let format, let name):
            var headers: HTTPFields = [.contentType: format.mediaType]
            headers[.contentDisposition] = "attachment; filename=\"\(name).\(format.rawValue)\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// The JSON response, named apart from the case `.json` that would shadow it inside the enum.
private func jsonResponse(_ value: JSONValue) -> Response { json(value) }
