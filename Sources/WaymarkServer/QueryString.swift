import Foundation
import Hummingbird

/// application/x-www-form-urlencoded, the one decoding for query strings and form bodies:
/// browsers send a GET form's spaces as "+", which plain percent-decoding (and so the URI's
/// own query parameters) keeps as a literal plus.
enum FormURLEncoding {
    /// The name-value pairs in order; a name without "=" has an empty value.
    static func pairs(_ text: some StringProtocol) -> [(key: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// "+" becomes a space before percent-decoding, so "%2B" stays a plus.
    static func decode(_ text: some StringProtocol) -> String {
        let spaced = String(text.map { $0 == "+" ? " " : $0 })
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// A request's query parameters, decoded as a browser encodes a GET form. Read them only
/// through `request.queryString`.
struct QueryString: Sendable {
    let pairs: [(key: String, value: String)]

    init(_ raw: String?) {
        pairs = FormURLEncoding.pairs(raw ?? "")
    }

    /// The first value given for `name`.
    func get(_ name: String) -> String? {
        pairs.first { $0.key == name }?.value
    }
}

extension Request {
    var queryString: QueryString { QueryString(uri.query) }
}
