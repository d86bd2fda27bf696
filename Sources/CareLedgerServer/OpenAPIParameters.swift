internal import CareLedger
internal import LedgerJSON
internal import Retention

/// The schemas of `/openapi.json`'s parameters: each as the route reads it, so that a client
/// generated from the document is typed (a flag a boolean, a seq an integer, a date a date) and
/// a tool that makes requests from the document (schemathesis) knows which values the server
/// must take and which it must refuse. Every one was a bare string, and an empty `asOf=` or
/// `stored=` as schema-valid as a real one.
enum OpenAPIParameters {
    /// Text that is not empty: every parameter with no form of its own.
    static let text: JSONValue = .object([("type", "string"), ("minLength", 1)])
    /// `true` or `false`, as every flag of the routes reads it.
    static let flag = OpenAPIShapes.boolean
    /// A seq or a stream version, from 1.
    static let position: JSONValue = .object([("type", "integer"), ("minimum", 1)])
    /// A page's size (SPEC section 8).
    static let limit: JSONValue = .object([("type", "integer"), ("minimum", 1), ("maximum", 10_000), ("default", 1_000)])
    static let date = OpenAPIShapes.date
    static let instant: JSONValue = .object([("type", "string"), ("format", "date-time")])
    /// SPEC section 1's periods; a month and a financial year share a shape (`2024-05`, `2024-25`).
    static let period: JSONValue = .object([("type", "string"), ("pattern", #"^[0-9]{4}-([0-9]{2}|Q[1-4]|[0-9]{2}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}-[0-9]{2})$"#)])
    /// Months from 1 to 600, comma-separated, each once.
    static let horizons: JSONValue = .object([("type", "string"), ("pattern", "^ *[0-9]+ *(, *[0-9]+ *)*$")])
    static let grouping = OpenAPIShapes.enumeration(RetentionGrouping.allCases.map(\.rawValue))
    /// An id of SPEC section 1: a worker's, a case's, a provider's or a partner's.
    static let id: JSONValue = .object([("type", "string"), ("pattern", "^[A-Za-z0-9._:-]{1,64}$")])
    static let stream: JSONValue = .object([("type", "string"), ("pattern", "^(partner|provider|worker|case|concern)-[A-Za-z0-9._:-]{1,64}$")])
    static let eventType = OpenAPIShapes.enumeration(EventType.allCases.map(\.rawValue))
    static let timelineKind = OpenAPIShapes.enumeration(["worker", "case", "provider", "partner"])
    /// A head published earlier, `SEQ:HASH`.
    static let digest: JSONValue = .object([("type", "string"), ("pattern", "^[0-9]+:[0-9a-fA-F]{64}$")])
    /// An earlier reading: a published head, or the instant the figures were known at.
    static let reading: JSONValue = .object([("anyOf", .array([digest, instant]))])
    /// A seq as an event stream's `id:` line gave it, from 0.
    static let lastEventID: JSONValue = .object([("type", "string"), ("pattern", "^[0-9]+$")])

    /// `format`: the forms a route answers in, JSON first.
    static func format(_ forms: [String]) -> JSONValue { OpenAPIShapes.enumeration(forms) }
}
