import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Says what was wrong with a request the generated API layer could not read, in the caller's
/// words: the field (as the caller sent it) and what it should be. Swift decoder internals
/// (`DecodingError`, `CodingKeys`, type names) never reach the response.
enum DecodingErrorMessage {
    /// Status, title and detail for a request the generated layer refused before any handler ran.
    /// A versioned write without If-Match is 428 (RFC 6585), as the spec says; the rest are 400.
    static func answer(_ error: ServerError) -> ErrorAnswer {
        if error.causeDescription.localizedCaseInsensitiveContains("header field named 'If-Match' is missing") {
            return ErrorTable.service(.versionRequired(
                "Send If-Match with the record's ETag (from reading it first), so this write cannot overwrite a change you have not seen."))
        }
        return ErrorAnswer(status: .badRequest, title: "Bad request", detail: detail(for: error))
    }

    static func detail(for error: ServerError) -> String {
        if let decoding = error.underlyingError as? DecodingError {
            return describe(decoding, query: queryItems(error.request.path ?? ""))
        }
        return plain(error.causeDescription)
    }

    /// Parameters are decoded one at a time with an empty coding path, so the parameter at
    /// fault is found by its value: the first whose value is not of the expected kind.
    static func describe(_ error: DecodingError, query: [(name: String, value: String)] = []) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "The field '\(field(context.codingPath + [key]))' is required."
        case .valueNotFound(let type, let context):
            guard context.codingPath.isEmpty else { return "The field '\(field(context.codingPath))' must be \(expected(type)), not null." }
            if let name = query.first(where: { $0.value.isEmpty })?.name {
                return "The query parameter '\(name)' needs a value: \(expected(type))."
            }
            return "A value is missing: the request needs \(expected(type)) where it has none."
        case .typeMismatch(let type, let context):
            guard context.codingPath.isEmpty else { return "The field '\(field(context.codingPath))' must be \(expected(type))." }
            if let name = query.first(where: { !fits($0.value, type) })?.name {
                return "The query parameter '\(name)' must be \(expected(type))."
            }
            return "A value in the request must be \(expected(type)); check the address and the body against /api/v1/openapi.yaml."
        case .dataCorrupted(let context):
            if !context.codingPath.isEmpty {
                // A string that is not one of an enum's values: the only corruption with a path.
                return "The field '\(field(context.codingPath))' is not one of its allowed values; /api/v1/openapi.yaml lists them."
            }
            if context.debugDescription.contains("JSON") || context.underlyingError != nil || query.isEmpty {
                return "The request body is not valid JSON (or is not in the format its Content-Type names)."
            }
            return "A query parameter (\(query.map { "'\($0.name)'" }.joined(separator: ", "))) is not one of its allowed values; /api/v1/openapi.yaml lists them."
        @unknown default:
            return "The request could not be read; /api/v1/openapi.yaml describes what each operation accepts."
        }
    }

    static func queryItems(_ path: String) -> [(name: String, value: String)] {
        guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }

    /// Whether a parameter's text could decode as `type`.
    static func fits(_ value: String, _ type: Any.Type) -> Bool {
        switch expected(type) {
        case "a whole number": Int64(value) != nil
        case "a number": Double(value) != nil
        case "true or false": value == "true" || value == "false"
        default: true
        }
    }

    /// "actions[0].due": keys as the caller spelled them, positions in a list as [n].
    static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func expected(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        if name.hasPrefix("Dictionary") || name.hasPrefix("OpenAPIObjectContainer") { return "an object" }
        switch name {
        case "String", "Substring": return "text"
        case "Int", "Int64", "Int32", "Int16", "Int8", "UInt", "UInt64", "UInt32": return "a whole number"
        case "Double", "Float", "Decimal": return "a number"
        case "Bool": return "true or false"
        case "Date": return "a date and time like 2026-03-31T12:00:00Z"
        default: return "an object"
        }
    }

    /// The runtime's own descriptions name a header, parameter or content type plainly; anything
    /// that still reads like Swift is replaced rather than shown.
    static func plain(_ cause: String) -> String {
        let internals = ["DecodingError", "CodingKeys", "codingPath", "Swift.", "typeMismatch", "keyNotFound", "of type '"]
        if internals.contains(where: cause.contains) {
            return "The request could not be read; /api/v1/openapi.yaml describes what each operation accepts."
        }
        return cause
    }
}
