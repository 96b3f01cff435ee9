/// Fills an NSI product's Markdown template with what Waymark already knows about a project.
/// `{{name}}` placeholders take a value; a placeholder alone on its line (`{{risks}}`) takes a
/// Markdown block, such as a table. Unknown placeholders are left as written, so a template
/// typo shows in the draft rather than vanishing.
public struct TemplateContext: Sendable, Hashable {
    public var values: [String: String]
    public var blocks: [String: String]

    public init(values: [String: String] = [:], blocks: [String: String] = [:]) {
        self.values = values
        self.blocks = blocks
    }
}

public enum DocumentTemplate {
    /// The value placeholders templates may use.
    public static let valueNames: Set<String> = [
        "project.code", "project.type", "project.stage", "organisation.name", "organisation.code", "sha.name", "cluster.name",
        "product.code", "product.name", "product.summary", "supplier.name", "document.name", "document.purpose", "document.stage",
        "catalogue.version", "author", "today",
    ]
    /// The block placeholders, each alone on its line.
    public static let blockNames: Set<String> = ["milestones", "risks", "issues", "roles", "hazards"]

    public static func fill(_ template: String, with context: TemplateContext) -> String {
        var lines: [String] = []
        for line in template.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = String(line).trimmedWhitespace
            if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), let block = context.blocks[String(trimmed.dropFirst(2).dropLast(2))] {
                lines.append(block)
            } else {
                lines.append(replaceValues(String(line), context.values))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The placeholder names a template uses, for checking templates against the known names.
    public static func placeholders(in template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = find("{{", in: rest) {
            guard let close = find("}}", in: rest[open.upperBound...]) else { break }
            names.insert(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    static func replaceValues(_ line: String, _ values: [String: String]) -> String {
        guard line.contains("{{") else { return line }
        var out = ""
        var rest = Substring(line)
        while let open = find("{{", in: rest) {
            out += rest[..<open.lowerBound]
            guard let close = find("}}", in: rest[open.upperBound...]) else { break }
            let name = String(rest[open.upperBound..<close.lowerBound])
            out += values[name].map(inline) ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Core has no Foundation, so no `range(of:)`.
    static func find(_ needle: String, in text: Substring) -> Range<Substring.Index>? {
        let first = needle.first!
        var i = text.startIndex
        while let start = text[i...].firstIndex(of: first) {
            if text[start...].hasPrefix(needle) { return start..<text.index(start, offsetBy: needle.count) }
            i = text.index(after: start)
        }
        return nil
    }

    /// A value on one line, with the characters that would start Markdown structure escaped.
    public static func inline(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\n", "\r": out.append(" ")
            case "|", "*", "_", "`", "\\", "#", "<", ">", "[", "]": out.append("\\"); out.append(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// A Markdown table; cells go through `inline`, and an empty table says so in words.
    public static func table(_ header: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "*\(empty)*" }
        var lines = ["| " + header.map(inline).joined(separator: " | ") + " |",
                     "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        for row in rows { lines.append("| " + row.map(inline).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}
