/// Renders the Markdown our NSI document templates use as HTML that is safe to put in a page.
/// Every character of the input is escaped, so raw HTML shows as text; links and images are not
/// supported (their source shows literally), so no URL from a document reaches the browser.
/// Headings move down a level (`#` is `<h2>`, `###` and deeper `<h4>`) because the page holds
/// the `<h1>`. Any input, however malformed, gives well-formed HTML in time linear in its size.
///
/// Blocks: ATX headings, paragraphs, `-`/`*` and `1.` lists (nested by indentation), `>` quotes,
/// pipe tables, fenced code and `---` rules. Inline: `**strong**`, `*em*`/`_em_`, `` `code` ``
/// and backslash escapes. Alignment colons in a table's separator row are accepted and ignored.
public enum MarkdownHTML {
    public static func render(_ markdown: String) -> String {
        var blocks = MarkdownBlocks(depth: 0)
        blocks.render(MarkdownBlocks.lines(of: Array(markdown.utf8)))
        return String(decoding: blocks.out, as: UTF8.self)
    }
}

private typealias Line = ArraySlice<UInt8>

/// The block structure, read a line at a time. Lists keep a stack; quotes recurse, but only
/// `maximumQuoteDepth` deep, so neither the stack nor the work grows with hostile nesting.
private struct MarkdownBlocks {
    static let maximumQuoteDepth = 8
    static let maximumListDepth = 8

    private enum Block {
        case heading(level: Int, text: Line)
        case rule
        case fence(marker: UInt8, length: Int, language: Line)
        case quote
        case table(header: [[UInt8]])
        case item(ordered: Bool, number: Int, text: Line)
    }

    let depth: Int
    var out: [UInt8] = []
    private var paragraph: [Line] = []
    private var lists: [(ordered: Bool, indent: Int)] = []
    /// The open item's text, written when the item ends or a nested list starts.
    private var itemText: [Line] = []
    private var blankInList = false

    init(depth: Int) { self.depth = depth }

    /// Lines without their endings: CRLF, LF and a lone CR each end a line.
    static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [Line] = []
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == newline || byte == carriageReturn {
                lines.append(bytes[start..<index])
                if byte == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    mutating func render(_ lines: [ArraySlice<UInt8>]) {
        var index = 0
        while index < lines.count {
            let (indent, body) = Self.indentation(lines[index])
            if body.allSatisfy(isSpace) {
                flushParagraph()
                flushItem()
                blankInList = !lists.isEmpty
                index += 1
                continue
            }
            let block = Self.block(body, next: index + 1 < lines.count ? lines[index + 1] : nil)
            if !lists.isEmpty {
                if case .item(let ordered, let number, let text)? = block {
                    addItem(ordered: ordered, number: number, text: text, indent: indent)
                    index += 1
                    continue
                }
                // Only an indented line continues an item, so a list never swallows the next paragraph.
                if block == nil, !blankInList, indent > 0 {
                    itemText.append(trimmed(body))
                    index += 1
                    continue
                }
                closeLists(above: -1)
            }
            guard let block else {
                paragraph.append(trimmed(body))
                index += 1
                continue
            }
            flushParagraph()
            index += 1
            switch block {
            case .heading(let level, let text):
                write("<h\(level)>")
                MarkdownInline.render(Array(text), into: &out)
                write("</h\(level)>\n")
            case .rule:
                write("<hr>\n")
            case .item(let ordered, let number, let text):
                addItem(ordered: ordered, number: number, text: text, indent: indent)
            case .fence(let marker, let length, let language):
                index = fence(lines, from: index, marker: marker, length: length, language: language)
            case .quote:
                index = quote(lines, from: index - 1)
            case .table(let header):
                index = table(lines, from: index + 1, header: header)
            }
        }
        flushParagraph()
        closeLists(above: -1)
    }

    // MARK: Recognising blocks

    private static func block(_ body: Line, next: Line?) -> Block? {
        if let heading = heading(body) { return heading }
        if let fence = fence(body) { return fence }
        if body.first == UInt8(ascii: ">") { return .quote }
        let text = trimmed(body)
        if text.count >= 3, let first = text.first, "-*_".utf8.contains(first), text.allSatisfy({ $0 == first }) { return .rule }
        if let item = listItem(body) { return item }
        if body.contains(pipe), let next, let columns = separatorColumns(next) {
            let header = cells(body)
            if header.count == columns { return .table(header: header) }
        }
        return nil
    }

    private static func heading(_ body: Line) -> Block? {
        let hashes = body.prefix { $0 == UInt8(ascii: "#") }.count
        let rest = body.dropFirst(hashes)
        guard (1...6).contains(hashes), rest.first.map(isSpace) ?? true else { return nil }
        var text = trimmed(rest)
        // A closing run of #s is decoration, not text, when a space sets it apart.
        let closing = text.reversed().prefix { $0 == UInt8(ascii: "#") }.count
        if closing == text.count || text.dropLast(closing).last.map(isSpace) == true {
            text = trimmed(text.dropLast(closing))
        }
        return .heading(level: min(hashes + 1, 4), text: text)
    }

    private static func fence(_ body: Line) -> Block? {
        guard let marker = body.first, marker == UInt8(ascii: "`") || marker == UInt8(ascii: "~") else { return nil }
        let length = body.prefix { $0 == marker }.count
        let info = trimmed(body.dropFirst(length))
        // ```x``` on one line is inline code, not a fence.
        guard length >= 3, marker == UInt8(ascii: "~") || !info.contains(marker) else { return nil }
        return .fence(marker: marker, length: length, language: info.prefix { !isSpace($0) })
    }

    private static func listItem(_ body: Line) -> Block? {
        guard let first = body.first else { return nil }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") {
            let rest = body.dropFirst()
            guard let space = rest.first, isSpace(space) else { return nil }
            return .item(ordered: false, number: 0, text: trimmed(rest))
        }
        let digits = body.prefix(while: isDigit)
        let rest = body.dropFirst(digits.count)
        guard (1...9).contains(digits.count), rest.first == UInt8(ascii: "."), let space = rest.dropFirst().first, isSpace(space)
        else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return .item(ordered: true, number: number, text: trimmed(rest.dropFirst()))
    }

    /// The column count of a table's separator row (`|---|:--:|`), or nil when it is not one.
    private static func separatorColumns(_ line: Line) -> Int? {
        guard line.contains(pipe) else { return nil }
        let columns = cells(line)
        for cell in columns {
            var dashes = cell[...]
            if dashes.first == UInt8(ascii: ":") { dashes = dashes.dropFirst() }
            if dashes.last == UInt8(ascii: ":") { dashes = dashes.dropLast() }
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
        }
        return columns.count
    }

    /// A table row's cells, trimmed; outer pipes are optional and `\|` is a literal pipe.
    private static func cells(_ line: Line) -> [[UInt8]] {
        var row = trimmed(line)
        if row.first == pipe { row = row.dropFirst() }
        if row.last == pipe, row.dropLast().last != UInt8(ascii: "\\") { row = row.dropLast() }
        var cells: [[UInt8]] = []
        var cell: [UInt8] = []
        var index = row.startIndex
        while index < row.endIndex {
            if row[index] == UInt8(ascii: "\\"), index + 1 < row.endIndex, row[index + 1] == pipe {
                cell.append(pipe)
                index += 2
                continue
            }
            if row[index] == pipe {
                cells.append(Array(trimmed(cell[...])))
                cell = []
            } else {
                cell.append(row[index])
            }
            index += 1
        }
        cells.append(Array(trimmed(cell[...])))
        return cells
    }

    // MARK: Writing blocks

    private mutating func flushParagraph() {
        guard !paragraph.isEmpty else { return }
        write("<p>")
        MarkdownInline.render(Array(paragraph.joined(separator: [newline])), into: &out)
        write("</p>\n")
        paragraph = []
    }

    private mutating func addItem(ordered: Bool, number: Int, text: Line, indent: Int) {
        flushItem()
        blankInList = false
        closeLists(above: indent)
        if let top = lists.last, top.indent == indent || lists.count >= Self.maximumListDepth {
            if top.ordered == ordered {
                write("</li>\n<li>")
            } else {
                closeLists(above: top.indent - 1)
                openList(ordered: ordered, number: number, indent: indent)
            }
        } else {
            openList(ordered: ordered, number: number, indent: indent)
        }
        itemText = [text]
    }

    private mutating func openList(ordered: Bool, number: Int, indent: Int) {
        if !lists.isEmpty { write("\n") }
        write(!ordered ? "<ul>\n<li>" : number == 1 ? "<ol>\n<li>" : "<ol start=\"\(number)\">\n<li>")
        lists.append((ordered, indent))
    }

    /// Closes every open list indented more than `indent`.
    private mutating func closeLists(above indent: Int) {
        while let top = lists.last, top.indent > indent {
            flushItem()
            write(top.ordered ? "</li>\n</ol>\n" : "</li>\n</ul>\n")
            lists.removeLast()
        }
    }

    private mutating func flushItem() {
        guard !itemText.isEmpty else { return }
        MarkdownInline.render(Array(itemText.joined(separator: [newline])), into: &out)
        itemText = []
    }

    /// Writes a fenced block opened on the line before `start`; returns the line after its end.
    private mutating func fence(_ lines: [Line], from start: Int, marker: UInt8, length: Int, language: Line) -> Int {
        // The language becomes a class name, so only a plain word is kept.
        let named = !language.isEmpty && language.count <= 32
            && language.allSatisfy { isDigit($0) || (0x41...0x5A).contains($0 & 0xDF) || "-_+".utf8.contains($0) }
        write(named ? "<pre><code class=\"language-" : "<pre><code>")
        if named { write(String(decoding: language, as: UTF8.self)); write("\">") }
        var index = start
        while index < lines.count {
            let body = trimmed(lines[index])
            let run = body.prefix { $0 == marker }.count
            if run >= length, run == body.count { index += 1; break }
            MarkdownInline.escape(lines[index], into: &out)
            out.append(newline)
            index += 1
        }
        write("</code></pre>\n")
        return index
    }

    /// Writes the quote whose first line is `start`; returns the line after it.
    private mutating func quote(_ lines: [Line], from start: Int) -> Int {
        var inner: [Line] = []
        var index = start
        while index < lines.count {
            let body = Self.indentation(lines[index]).body
            guard body.first == UInt8(ascii: ">") else { break }
            let rest = body.dropFirst()
            inner.append(rest.first.map(isSpace) == true ? rest.dropFirst() : rest)
            index += 1
        }
        write("<blockquote>\n")
        if depth + 1 < Self.maximumQuoteDepth {
            var blocks = MarkdownBlocks(depth: depth + 1)
            blocks.render(inner)
            out.append(contentsOf: blocks.out)
        } else {
            // Deep enough: the rest is one paragraph of text rather than more recursion.
            paragraph = inner.map(trimmed).filter { !$0.isEmpty }
            flushParagraph()
        }
        write("</blockquote>\n")
        return index
    }

    /// Writes a table whose body starts at `start`; returns the line after it.
    private mutating func table(_ lines: [Line], from start: Int, header: [[UInt8]]) -> Int {
        write("<table>\n<thead>\n<tr>")
        for cell in header { tableCell("th", cell) }
        write("</tr>\n</thead>\n")
        var index = start
        while index < lines.count, lines[index].contains(pipe) {
            if index == start { write("<tbody>\n") }
            write("<tr>")
            // Short rows stay short (browsers leave the cells empty): padding them would let a
            // wide header and many one-cell rows multiply the output.
            for cell in Self.cells(lines[index]).prefix(header.count) { tableCell("td", cell) }
            write("</tr>\n")
            index += 1
        }
        if index > start { write("</tbody>\n") }
        write("</table>\n")
        return index
    }

    private mutating func tableCell(_ tag: String, _ cell: [UInt8]) {
        write("<\(tag)>")
        MarkdownInline.render(cell, into: &out)
        write("</\(tag)>")
    }

    private mutating func write(_ markup: String) { out.append(contentsOf: markup.utf8) }

    /// The width of a line's leading spaces and tabs (a tab reaches the next multiple of four) and the rest.
    private static func indentation(_ line: Line) -> (indent: Int, body: Line) {
        var indent = 0
        var index = line.startIndex
        while index < line.endIndex, isSpace(line[index]) {
            indent = line[index] == UInt8(ascii: "\t") ? (indent / 4 + 1) * 4 : indent + 1
            index += 1
        }
        return (indent, line[index...])
    }
}

private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let pipe = UInt8(ascii: "|")

private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
private func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

private func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else { return [] }
    return line[first...last]
}

/// Inline Markdown: code spans, backslash escapes and `*`/`_` emphasis, after CommonMark but
/// simplified so tags always nest: whatever does not pair is text, and each step is amortised
/// constant, so no input backtracks.
private enum MarkdownInline {
    private enum Kind { case text(Range<Int>), character(UInt8), code(Range<Int>), delimiter }

    private struct Token {
        var kind: Kind
        var marker: UInt8 = 0
        /// The run's length as written, and how much of it is still unpaired.
        var length = 0
        var count = 0
        var canOpen = false
        var canClose = false
        /// Tags this run closes (innermost first) and opens (innermost first); true is strong.
        var closes: [Bool] = []
        var opens: [Bool] = []
    }

    static func render(_ text: [UInt8], into out: inout [UInt8]) {
        var tokens = tokenise(text)
        pairDelimiters(&tokens)
        for token in tokens {
            switch token.kind {
            case .text(let range): escape(text[range], into: &out)
            case .character(let byte): escape(CollectionOfOne(byte), into: &out)
            case .code(let range): code(text[range], into: &out)
            case .delimiter:
                for strong in token.closes { out.append(contentsOf: (strong ? "</strong>" : "</em>").utf8) }
                out.append(contentsOf: repeatElement(token.marker, count: token.count))
                for strong in token.opens.reversed() { out.append(contentsOf: (strong ? "<strong>" : "<em>").utf8) }
            }
        }
    }

    private static func tokenise(_ text: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var backticks = BacktickRuns(text)
        var textStart = 0, index = 0
        func endText(at end: Int) {
            if textStart < end { tokens.append(Token(kind: .text(textStart..<end))) }
        }
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\\"), index + 1 < text.count, isPunctuation(text[index + 1]) {
                endText(at: index)
                tokens.append(Token(kind: .character(text[index + 1])))
                index += 2
                textStart = index
            } else if byte == UInt8(ascii: "`") {
                let length = runLength(text, at: index)
                if let close = backticks.next(length: length, from: index + length) {
                    endText(at: index)
                    tokens.append(Token(kind: .code(index + length..<close)))
                    index = close + length
                    textStart = index
                } else {
                    index += length // an unmatched run is literal text
                }
            } else if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_") {
                let length = runLength(text, at: index)
                endText(at: index)
                tokens.append(delimiter(byte, count: length, before: index > 0 ? text[index - 1] : nil,
                                        after: index + length < text.count ? text[index + length] : nil))
                index += length
                textStart = index
            } else {
                index += 1
            }
        }
        endText(at: text.count)
        return tokens
    }

    /// CommonMark's flanking rules decide which side a run can emphasise; `_` inside a word
    /// (snake_case_names) is left alone.
    private static func delimiter(_ marker: UInt8, count: Int, before: UInt8?, after: UInt8?) -> Token {
        let spaceBefore = before.map(isWhitespace) ?? true, spaceAfter = after.map(isWhitespace) ?? true
        let punctuationBefore = before.map(isPunctuation) ?? false, punctuationAfter = after.map(isPunctuation) ?? false
        let left = !spaceAfter && (!punctuationAfter || spaceBefore || punctuationBefore)
        let right = !spaceBefore && (!punctuationBefore || spaceAfter || punctuationAfter)
        var token = Token(kind: .delimiter, marker: marker, length: count, count: count)
        if marker == UInt8(ascii: "*") {
            token.canOpen = left
            token.canClose = right
        } else {
            token.canOpen = left && (!right || punctuationBefore)
            token.canClose = right && (!left || punctuationAfter)
        }
        return token
    }

    /// Pairs each closer with the nearest opener of its marker. Openers of the other marker
    /// between the two can no longer pair (they would cross), so they are dropped; each opener
    /// is dropped at most once, keeping this linear.
    private static func pairDelimiters(_ tokens: inout [Token]) {
        var stars: [Int] = [], underscores: [Int] = []
        for index in tokens.indices {
            guard case .delimiter = tokens[index].kind else { continue }
            let star = tokens[index].marker == UInt8(ascii: "*")
            while tokens[index].canClose, tokens[index].count > 0, let opener = star ? stars.last : underscores.last,
                  !breaksRuleOfThree(tokens[opener], tokens[index]) {
                if star { while let other = underscores.last, other > opener { underscores.removeLast() } }
                else { while let other = stars.last, other > opener { stars.removeLast() } }
                let strong = tokens[opener].count >= 2 && tokens[index].count >= 2
                tokens[opener].count -= strong ? 2 : 1
                tokens[index].count -= strong ? 2 : 1
                tokens[opener].opens.append(strong)
                tokens[index].closes.append(strong)
                if tokens[opener].count == 0 { if star { stars.removeLast() } else { underscores.removeLast() } }
            }
            if tokens[index].canOpen, tokens[index].count > 0 {
                if star { stars.append(index) } else { underscores.append(index) }
            }
        }
    }

    /// CommonMark's rule that keeps `**a*b*c**` as strong around em: a run that could both open
    /// and close doesn't pair when the two runs' lengths sum to a multiple of three (unless both are).
    private static func breaksRuleOfThree(_ opener: Token, _ closer: Token) -> Bool {
        (opener.canClose || closer.canOpen) && (opener.length + closer.length) % 3 == 0
            && !(opener.length % 3 == 0 && closer.length % 3 == 0)
    }

    /// A code span's text: line breaks become spaces, and one space each side is padding.
    private static func code(_ content: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var content = content
        if content.count >= 2, content.first == 0x20, content.last == 0x20, !content.allSatisfy({ $0 == 0x20 }) {
            content = content.dropFirst().dropLast()
        }
        out.append(contentsOf: "<code>".utf8)
        escape(content.lazy.map { $0 == newline ? 0x20 : $0 }, into: &out)
        out.append(contentsOf: "</code>".utf8)
    }

    /// Appends `bytes` as HTML text. Control characters other than tab and newline (NUL
    /// especially) become U+FFFD, as a browser would show them.
    static func escape(_ bytes: some Sequence<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            case 0x09, 0x0A: out.append(byte)
            case 0x00...0x1F: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: out.append(byte)
            }
        }
    }

    private static func runLength(_ text: [UInt8], at start: Int) -> Int {
        var end = start
        while end < text.count, text[end] == text[start] { end += 1 }
        return end - start
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private static func isPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}

/// Where each length of backtick run starts, so finding a code span's closer is a forward-only
/// cursor per length rather than a fresh scan (which is quadratic on many unmatched backticks).
private struct BacktickRuns {
    private var starts: [Int: [Int]] = [:]
    private var cursors: [Int: Int] = [:]

    init(_ text: [UInt8]) {
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "`") else { index += 1; continue }
            let start = index
            while index < text.count, text[index] == UInt8(ascii: "`") { index += 1 }
            starts[index - start, default: []].append(start)
        }
    }

    /// The first run of exactly `length` backticks starting at or after `position`; positions
    /// asked for each length only ever increase.
    mutating func next(length: Int, from position: Int) -> Int? {
        guard let list = starts[length] else { return nil }
        var cursor = cursors[length, default: 0]
        while cursor < list.count, list[cursor] < position { cursor += 1 }
        cursors[length] = cursor
        return cursor < list.count ? list[cursor] : nil
    }
}
