import WaymarkCore
/// A fragment of HTML. Interpolated strings are escaped; only literals written in our own
/// source and other `HTML` values pass through, so nothing user-supplied is rendered unescaped.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var rendered: String

    public init(stringLiteral value: String) { rendered = value }
    public init(stringInterpolation: StringInterpolation) { rendered = stringInterpolation.output }
    public init(_ parts: [HTML]) { rendered = parts.map(\.rendered).joined() }
    public init(_ html: HTML) { self = html }
    public static let empty = HTML(stringLiteral: "")

    public var description: String { rendered }

    /// A Markdown document as HTML. `MarkdownHTML` escapes every character of the text and
    /// passes no raw HTML, links or images, so this is safe for any uploaded content.
    static func markdown(_ text: String) -> HTML { HTML(stringLiteral: MarkdownHTML.render(text)) }

    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: String?) { output += HTML.escape(text ?? "") }
        public mutating func appendInterpolation(_ value: Int) { output += String(value) }
        public mutating func appendInterpolation(_ value: Int64) { output += String(value) }
        public mutating func appendInterpolation(_ value: Double, places: Int) { output += HTML.format(value, places: places) }
        public mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        public mutating func appendInterpolation(_ html: HTML?) { output += html?.rendered ?? "" }
        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { output += part.rendered } }
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func format(_ value: Double, places: Int) -> String {
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let rounded = (value * factor).rounded() / factor
        return places == 0 ? String(Int(rounded)) : String(rounded)
    }
}

/// Percent-encodes a value for a URL query or path segment.
func urlEncoded(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(UnicodeScalar(byte))
        default:
            out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return out
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension Array where Element == HTML {
    /// The fragments with a literal separator (", ", " · ") between them.
    func joined(separator: StaticString) -> HTML {
        HTML(stringLiteral: map(\.rendered).joined(separator: separator.description))
    }
}
