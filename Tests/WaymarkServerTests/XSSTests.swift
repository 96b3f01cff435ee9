import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkSQLite
import WaymarkStorage

/// Hostile text through every free-text field, checked on every page that shows it. The
/// property: whatever the text, each `<` in a page opens one of the tags our templates write,
/// and no payload appears unescaped.
@Suite("XSS")
struct XSSTests {
    static let fragments = [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>",
        "javascript:alert(1)", "</title><script>x</script>", "<a href=\"//evil.example\">click</a>",
        "{{7*7}}", "&lt;b&gt;", "\u{202E}gnp.exe", "<style>*{}</style>", "<!--", "]]><x>", "<iframe src=x>",
    ]

    static let allowedTags: Set<String> = [
        "!DOCTYPE", "html", "head", "meta", "title", "link", "body", "header", "a", "span", "nav", "form", "label",
        "input", "button", "ol", "li", "main", "footer", "h1", "h2", "h3", "p", "section", "div", "svg", "text",
        "rect", "g", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "select", "option",
        "time", "br", "textarea", "strong",
    ]

    /// A payload built from random fragments, unique to `seed`.
    static func payload(_ random: inout SplitMix64, _ seed: Int) -> String {
        (0..<2).map { _ in fragments[random.below(fragments.count)] }.joined(separator: " ") + " #\(seed)"
    }

    /// Every tag opened in `page` that our templates do not write.
    static func foreignTags(in page: String) -> [String] {
        var foreign: [String] = []
        var rest = Substring(page)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            let name = after.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber || $0 == "!" }
            if !allowedTags.contains(String(name)) { foreign.append(String(after.prefix(30))) }
            rest = after
        }
        return foreign
    }

    @Test("pages escape hostile organisation, supplier, search and form text", arguments: [1, 2, 3])
    func hostileText(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        var generator = ProgrammeGenerator(scale: .demo, today: TestApp.today)
        var dataset = generator.generate()
        var payloads: [String] = []
        for index in dataset.organisations.indices {
            let name = Self.payload(&random, index)
            dataset.organisations[index].name = name
            dataset.organisations[index].subtype = Self.payload(&random, index + 100_000)
            payloads.append(name)
        }
        let app = try await TestApp.make(dataset: dataset)

        let sample = [OrganisationKind.cluster, .sha, .lhc, .trust, .site, .supplier].compactMap { kind in
            dataset.organisations.first { $0.kind == kind }
        }
        let project = try #require(dataset.projects.first { $0.organisationID == sample.first { $0.kind == .site }?.id })
        let query = Self.payload(&random, -1)
        var uris = ["/", "/projects", "/projects/\(project.code)", "/projects?q=\(urlQuery(query))", "/search?q=\(urlQuery(query))",
                    "/search?q=%23"]
        uris += sample.flatMap { ["/organisations/\($0.code)", "/projects?within=\($0.code)"] }
        let pages = uris
        let hostile = payloads + [query]

        try await app.test { client in
            var shown = 0
            for uri in pages {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let page = response.text
                    #expect(Self.foreignTags(in: page).isEmpty, "\(uri): \(Self.foreignTags(in: page).prefix(3))")
                    for payload in hostile where page.contains(HTML.escape(payload)) { shown += 1 }
                    // Payloads with nothing to escape (javascript:, {{...}}) are harmless as text.
                    for payload in hostile where HTML.escape(payload) != payload {
                        #expect(!page.contains(payload), "\(uri) shows a payload raw")
                    }
                }
            }
            #expect(shown > 20, "the payloads were actually displayed (escaped)")

            // Entered form values are echoed back after a validation error: escaped too.
            let form = try await client.execute(uri: "/projects/\(project.code)", method: .get) { try FormSession($0) }
            let body = form.body([("forecast.\(project.milestones[0].kind.rawValue)", query)])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: body) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Self.foreignTags(in: response.text).isEmpty)
                #expect(!response.text.contains(query))
                #expect(response.text.contains(HTML.escape(query)))
            }
        }
    }

    func urlQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
