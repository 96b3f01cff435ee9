import Testing
import WaymarkCore

@Suite("Documents: Markdown to HTML")
struct MarkdownHTMLTests {
    @Test("headings move down a level, since the page holds the h1")
    func headings() {
        #expect(MarkdownHTML.render("# Title") == "<h2>Title</h2>\n")
        #expect(MarkdownHTML.render("## Scope ##") == "<h3>Scope</h3>\n")
        #expect(MarkdownHTML.render("### Risks\n#### Deeper\n###### Deepest") == "<h4>Risks</h4>\n<h4>Deeper</h4>\n<h4>Deepest</h4>\n")
        #expect(MarkdownHTML.render("#hashtag") == "<p>#hashtag</p>\n", "a heading needs a space")
        #expect(MarkdownHTML.render("####### seven") == "<p>####### seven</p>\n")
    }

    @Test("consecutive lines join into a paragraph; a blank line ends it")
    func paragraphs() {
        #expect(MarkdownHTML.render("one\ntwo\n\nthree") == "<p>one\ntwo</p>\n<p>three</p>\n")
        #expect(MarkdownHTML.render("# T\r\n\r\npara\r\nline") == "<h2>T</h2>\n<p>para\nline</p>\n", "CRLF")
        #expect(MarkdownHTML.render("") == "")
        #expect(MarkdownHTML.render("\n \n\t\n") == "")
    }

    @Test func lists() {
        #expect(MarkdownHTML.render("- a\n* b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
        #expect(MarkdownHTML.render("1. a\n2. b") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n")
        #expect(MarkdownHTML.render("3. c\n4. d") == "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n")
        #expect(MarkdownHTML.render("- a\n  - b\n    1. c\n- d")
            == "<ul>\n<li>a\n<ul>\n<li>b\n<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>\n")
        #expect(MarkdownHTML.render("- a\n  more of a\n\n- b\n\nafter")
            == "<ul>\n<li>a\nmore of a</li>\n<li>b</li>\n</ul>\n<p>after</p>\n")
        #expect(MarkdownHTML.render("- a\n1. b") == "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n")
    }

    @Test func blockquotes() {
        #expect(MarkdownHTML.render("> quoted\n> more") == "<blockquote>\n<p>quoted\nmore</p>\n</blockquote>\n")
        #expect(MarkdownHTML.render("> - item\n>> inner")
            == "<blockquote>\n<ul>\n<li>item</li>\n</ul>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>\n")
    }

    @Test("pipe tables: header, separator, body; cells trimmed; \\| is a literal pipe")
    func tables() {
        #expect(MarkdownHTML.render("| Role | Who |\n|---|:-:|\n| PM | A \\| B |\n| SRO |")
            == "<table>\n<thead>\n<tr><th>Role</th><th>Who</th></tr>\n</thead>\n<tbody>\n"
            + "<tr><td>PM</td><td>A | B</td></tr>\n<tr><td>SRO</td></tr>\n</tbody>\n</table>\n")
        #expect(MarkdownHTML.render("a | b\n--|--\n1 | 2 | 3\n\nafter")
            == "<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</table>\n<p>after</p>\n",
                "outer pipes are optional and extra cells dropped")
        #expect(MarkdownHTML.render("| a | b |\n|---|") == "<p>| a | b |\n|---|</p>\n", "column counts must agree")
        #expect(MarkdownHTML.render("| **x** |\n|---|") == "<table>\n<thead>\n<tr><th><strong>x</strong></th></tr>\n</thead>\n</table>\n")
    }

    @Test func inline() {
        #expect(MarkdownHTML.render("**bold**, *it*, _it_ and `co*de*`")
            == "<p><strong>bold</strong>, <em>it</em>, <em>it</em> and <code>co*de*</code></p>\n")
        #expect(MarkdownHTML.render("**a*b*c**") == "<p><strong>a<em>b</em>c</strong></p>\n")
        #expect(MarkdownHTML.render("***both***") == "<p><em><strong>both</strong></em></p>\n")
        #expect(MarkdownHTML.render("snake_case_name and 2 * 3 * 4") == "<p>snake_case_name and 2 * 3 * 4</p>\n")
        #expect(MarkdownHTML.render("\\*not em\\* and ``a ` b``") == "<p>*not em* and <code>a ` b</code></p>\n")
    }

    @Test("fenced code is escaped verbatim; an unclosed fence runs to the end")
    func fences() {
        #expect(MarkdownHTML.render("```swift\nlet a = \"<b>\" // **no**\n```\nafter")
            == "<pre><code class=\"language-swift\">let a = &quot;&lt;b&gt;&quot; // **no**\n</code></pre>\n<p>after</p>\n")
        #expect(MarkdownHTML.render("```\"><x>\n# not a heading") == "<pre><code># not a heading\n</code></pre>\n",
                "an odd info string is dropped")
        #expect(MarkdownHTML.render("```inline``` code") == "<p><code>inline</code> code</p>\n")
    }

    @Test func rules() {
        #expect(MarkdownHTML.render("a\n\n---\n\nb") == "<p>a</p>\n<hr>\n<p>b</p>\n")
        #expect(MarkdownHTML.render("***") == "<hr>\n")
    }

    @Test("hostile input is text", arguments: [
        ("<script>alert('x')</script>", "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>\n"),
        ("\"><img src=x onerror=alert(1)>", "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>\n"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("![i](https://evil.example/x.png) <https://evil.example>", "<p>![i](https://evil.example/x.png) &lt;https://evil.example&gt;</p>\n"),
        ("# <b onmouseover=x>", "<h2>&lt;b onmouseover=x&gt;</h2>\n"),
        ("| <i> |\n|---|", "<table>\n<thead>\n<tr><th>&lt;i&gt;</th></tr>\n</thead>\n</table>\n"),
        ("`</code><script>`", "<p><code>&lt;/code&gt;&lt;script&gt;</code></p>\n"),
        ("&amp; &#x3C;", "<p>&amp;amp; &amp;#x3C;</p>\n"),
        ("a\u{0}b", "<p>a\u{FFFD}b</p>\n"),
    ])
    func hostile(input: String, html: String) {
        let rendered = MarkdownHTML.render(input)
        #expect(rendered == html)
        #expect(Self.problem(in: rendered) == nil)
    }

    @Test("malformed input still gives well-formed HTML", arguments: [
        "**bold never closed", "*a **b* c**", "_a *b_ c*", "`unclosed code", "- a\n    - b\n  - c\n- d\n        - e",
        "> > > > > > > > > > > deep\n> back", "1. a\n- b\n2. c", "|||\n|-|-|\n|", "| a |\n|---|\n| \\| | \\",
        "```\nunclosed", "\t-\ttab\n\t\t- more", "# **open\n*em\n- *item", String(repeating: "- x\n  ", count: 40),
    ])
    func malformed(input: String) {
        let rendered = MarkdownHTML.render(input)
        #expect(Self.problem(in: rendered) == nil, "\(rendered)")
    }

    @Test("a megabyte of awkward input renders quickly")
    func largeInput() {
        let units = ["*a ", "**b", "_c", "`", "``d", "[e](", "> ", "\n- ", "\n  - ", "|", "\n|-|\n", "<f>", "\\", "#"]
        var input = ""
        var index = 0
        while input.utf8.count < 1 << 20 {
            input += units[(index * index + index / 5) % units.count] // a fixed, irregular walk through the units
            index += 1
        }
        let clock = ContinuousClock()
        var rendered = ""
        let elapsed = clock.measure { rendered = MarkdownHTML.render(input) }
        #expect(elapsed < .seconds(10), "\(elapsed)")
        #expect(Self.problem(in: rendered) == nil)
        #expect(MarkdownHTML.render(String(repeating: "*", count: 1 << 20)).count < 1 << 21)
    }

    /// Why `html` is not the well-formed output we promise (only our tags, properly nested,
    /// attributes only where we put them), or nil.
    static func problem(in html: String) -> String? {
        let tags: Set<String> = ["p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
                                 "strong", "em", "code", "pre"]
        var open: [String] = []
        var rest = Substring(html)
        while let start = rest.firstIndex(where: { $0 == "<" || $0 == ">" }) {
            guard rest[start] == "<", let end = rest[start...].firstIndex(of: ">") else { return "stray > or unterminated tag" }
            let tag = rest[rest.index(after: start)..<end]
            rest = rest[rest.index(after: end)...]
            if tag == "hr" { continue }
            if tag.hasPrefix("/") {
                guard open.popLast() == String(tag.dropFirst()) else { return "</\(tag.dropFirst())> closes the wrong element" }
                continue
            }
            let name = String(tag.prefix { $0 != " " })
            guard tags.contains(name) else { return "unexpected tag <\(tag)>" }
            if name != tag, !tag.hasPrefix("ol start=\""), !tag.hasPrefix("code class=\"language-") { return "unexpected attribute <\(tag)>" }
            open.append(name)
        }
        return open.isEmpty ? nil : "unclosed \(open)"
    }
}
