import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The filtered, paginated project list.
struct ProjectListPage {
    var within: Organisation?
    var query: ProjectQuery
    var page: Page<ProjectListing>
    /// RAG status of each of `page.items`, in order.
    var statuses: [RAGStatus]
    var rawWithin: String

    func render() -> HTML {
        let title = within.map { "Projects in \($0.name)" } ?? "Projects"
        let productOptions: [HTML] = [HTML("<option value=\"\">All products</option>")] + ProductCatalogue.all.map { p in
            "<option value=\"\(p.code)\"\(query.productCode == p.code ? HTML(" selected") : .empty)>\(p.code) – \(p.name)</option>"
        }
        let typeOptions: [HTML] = [HTML("<option value=\"\">LSP and ESP</option>")] + ProjectType.allCases.map { t in
            "<option value=\"\(t.rawValue)\"\(query.type == t ? HTML(" selected") : .empty)>\(t.title)</option>"
        }
        let stageOptions: [HTML] = [HTML("<option value=\"\">Any stage</option>")] + NSIStage.allCases.map { s in
            "<option value=\"\(s.rawValue)\"\(query.stage == s ? HTML(" selected") : .empty)>\(s.title)</option>"
        }
        let rows: [HTML] = zip(page.items, statuses).map { listing, status in
            let p = listing.project
            return """
                <tr><td><a href="\(Paths.project(p.code))">\(p.code)</a></td><td>\(listing.organisationName)</td><td>\(p.productCode)</td>\
                <td>\(p.type.rawValue.uppercased())</td><td class="num">\(listing.stage.rawValue)</td><td>\(ragBadge(status))</td><td>\(listing.supplierName ?? "–")</td></tr>
                """
        }
        var nextQuery: [String] = []
        if !rawWithin.isEmpty { nextQuery.append("within=\(urlEncoded(rawWithin))") }
        if let product = query.productCode { nextQuery.append("product=\(urlEncoded(product))") }
        if let type = query.type { nextQuery.append("type=\(type.rawValue)") }
        if let stage = query.stage { nextQuery.append("stage=\(stage.rawValue)") }
        if let text = query.text, !text.isEmpty { nextQuery.append("q=\(urlEncoded(text))") }
        let next: HTML = page.nextCursor.map { cursor in
            "<p><a class=\"button\" href=\"/projects?\((nextQuery + ["after=\(cursor)"]).joined(separator: "&"))\">Next page</a></p>"
        } ?? .empty
        let content: HTML = """
            <h1>\(title)</h1>
            <form class="filters-form" method="get" action="/projects">
              <label>Within (organisation code) <input name="within" value="\(rawWithin)" maxlength="40"></label>
              <label>Product <select name="product">\(productOptions)</select></label>
              <label>Type <select name="type">\(typeOptions)</select></label>
              <label>Stage (from milestone dates) <select name="stage">\(stageOptions)</select></label>
              <label>Text <input name="q" value="\(query.text ?? "")" maxlength="200"></label>
              <button type="submit">Filter</button>
            </form>
            <table class="list">
              <thead><tr><th scope="col">Project</th><th scope="col">Organisation</th><th scope="col">Product</th><th scope="col">Type</th><th scope="col">Stage (from milestone dates)</th><th scope="col">Status</th><th scope="col">Supplier</th></tr></thead>
              <tbody>\(rows.isEmpty ? ["<tr><td colspan=\"7\">No projects match.</td></tr>"] : rows)</tbody>
            </table>
            \(next)
            """
        return Layout(title: title).render(content)
    }
}

struct SearchPage {
    var text: String
    var results: ProgrammeService.SearchResults

    func render() -> HTML {
        let organisations: [HTML] = results.organisations.map { o in
            "<li><a href=\"\(Paths.organisation(o))\">\(o.name)</a> <span class=\"code\">\(o.code)</span> · \(o.subtype ?? o.kind.title)</li>"
        }
        let projects: [HTML] = results.projects.map { l in
            "<li><a href=\"\(Paths.project(l.project.code))\">\(l.project.code)</a> · \(ProductCatalogue.product(code: l.project.productCode)?.name ?? l.project.productCode) at \(l.organisationName)</li>"
        }
        let body: HTML = text.isEmpty ? "<p>Enter part of an organisation's or project's name or code.</p>" : """
            <section><h2>Organisations (\(results.organisations.count))</h2>\(organisations.isEmpty ? HTML("<p>None found.</p>") : HTML("<ul class=\"results\">\(organisations)</ul>"))</section>
            <section><h2>Projects (\(results.projects.count))</h2>\(projects.isEmpty ? HTML("<p>None found.</p>") : HTML("<ul class=\"results\">\(projects)</ul>"))</section>
            """
        return Layout(title: text.isEmpty ? "Search" : "Search: \(text)", searchText: text).render("<h1>Search</h1>\(body)")
    }
}

struct ErrorPage {
    var answer: ErrorAnswer

    func render() -> HTML {
        let list: HTML = answer.errors.isEmpty ? ""
            : "<ul>\(answer.errors.map { "<li>\($0.message)</li>" as HTML })</ul>"
        return Layout(title: answer.title).render(
            "<h1>\(answer.title)</h1><p>\(answer.detail)</p>\(list)<p><a href=\"/\">Back to the national dashboard</a></p>")
    }
}
