import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The national dashboard and every drill-down page (cluster, SHA, LHC, trust, site, supplier):
/// the same roll-up for the organisation's subtree, as a chart and as tables.
struct OrganisationPage {
    var view: ProgrammeService.OrganisationView
    /// Narrows the milestone table to one product.
    var product: String?
    /// RAG status of each of `view.projects`, in order.
    var statuses: [RAGStatus]
    /// Sections from the registers, lessons and change control (`Panels`).
    var panels: HTML = .empty
    /// Whether to offer the management page (the role may manage organisations).
    var canManage = false

    var organisation: Organisation { view.organisation }
    var report: RollUpReport { view.rollUp }

    func render() -> HTML {
        let title = organisation.kind == .national ? "National dashboard" : organisation.name
        let kindLine = organisation.kind == .supplier
            ? "\(organisation.supplierRole?.title ?? "Supplier") · \(organisation.code)"
            : "\(organisation.subtype.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? organisation.kind.title) · \(organisation.code)"
        let groupTitle = organisation.kind == .supplier ? "Cluster" : (organisation.kind.childKind?.title ?? "Site")
        let chartHeading = organisation.kind == .site ? "Progress by product" : "Progress by \(groupTitle.lowercased()) and product"
        let total = report.total
        let content: HTML = """
            <h1>\(title)</h1>
            <p class="kind">\(kindLine)</p>
            \(organisation.closedOn.map { HTML("<p class=\"notice\">Closed on \($0.iso). Its history stays here.</p>") } ?? .empty)\
            <p><a href="/organisations/\(urlEncoded(organisation.code))/contracts">Supplier contracts</a>\(canManage ? HTML(" · <a href=\"/organisations/\(urlEncoded(organisation.code))/manage\">Manage this organisation</a>") : .empty)</p>
            <section class="cards" aria-label="Summary">
              \(card("Projects", total.projects))
              \(card("Complete", total.complete))
              \(card("Under way", total.projects - total.notStarted - total.complete))
              \(card("Not started", total.notStarted))
              \(card("Forecast late", total.late, warn: true))
            </section>
            <section>
              <h2>\(chartHeading)</h2>
              <p class="hint">Each bar is one \(groupTitle.lowercased())'s projects for one product. Select a row to drill down.</p>
              <div class="chart-wrap">\(RollUpChart(report: report).render())</div>
            </section>
            \(panels)
            \(siteProjects())
            \(productMatrix(groupTitle: groupTitle))
            \(milestoneTable(groupTitle: groupTitle))
            <p><a class="button" href="\(Paths.projects(within: organisation, product: product))">List the projects\(organisation.kind == .national ? "" : " in \(organisation.name)")</a>
            <a href="/organisations/\(urlEncoded(organisation.code))/plans">Plans and cross-project dependencies</a> ·
            <a href="/organisations/\(urlEncoded(organisation.code))/milestones.ics">Milestones as a calendar (.ics)</a></p>
            """
        return Layout(title: title, breadcrumbs: Layout.crumbs(for: view.ancestors)).render(content)
    }

    /// A site has a handful of projects: list them outright.
    private func siteProjects() -> HTML {
        guard organisation.kind == .site, !view.projects.isEmpty else { return .empty }
        let rows: [HTML] = zip(view.projects, statuses).map { listing, status in
            let p = listing.project
            return """
                <tr><td><a href="\(Paths.project(p.code))">\(p.code)</a></td><td>\(ProductCatalogue.product(code: p.productCode)?.name ?? p.productCode)</td>\
                <td>\(p.type.title)</td><td>\(listing.stage.title)</td><td>\(ragBadge(status))</td></tr>
                """
        }
        return """
            <section><h2>Projects at this site</h2>
            <table class="list"><thead><tr><th scope="col">Project</th><th scope="col">Product</th><th scope="col">Type</th><th scope="col">Stage (from milestone dates)</th><th scope="col">Status</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }

    private func card(_ label: String, _ value: Int, warn: Bool = false) -> HTML {
        "<div class=\"card\(warn && value > 0 ? " warn" : "")\"><span class=\"value\">\(value)</span><span class=\"label\">\(label)</span></div>"
    }

    private func groupLabel(_ group: RollUpReport.Group) -> HTML {
        guard let org = group.organisation else { return "At \(organisation.name)" }
        return "<a href=\"\(Paths.organisation(org, product: product))\">\(org.name)</a> <span class=\"code\">\(org.code)</span>"
    }

    /// Group x product: Go-Live achieved out of projects, and how many are forecast late.
    private func productMatrix(groupTitle: String) -> HTML {
        let products = report.productCodes
        guard !products.isEmpty else { return "<p>No implementation projects here yet.</p>" }
        func cell(_ c: RollUpCell?) -> HTML {
            guard let c, c.projects > 0 else { return "<td class=\"num muted\">–</td>" }
            let live = c.achieved(.goLiveCompleted)
            return "<td class=\"num\">\(live)/\(c.projects)\(c.late > 0 ? HTML(" <span class=\"late\">\(c.late) late</span>") : .empty)</td>"
        }
        let header: [HTML] = products.map { code in
            let name = ProductCatalogue.product(code: code)?.name ?? code
            return "<th scope=\"col\"><a href=\"\(Paths.organisation(organisation, product: code))\" title=\"\(name)\">\(code)</a></th>"
        }
        let rows: [HTML] = report.groups.map { group in
            "<tr><th scope=\"row\">\(groupLabel(group))</th>\(products.map { cell(group.cells[$0]) })</tr>"
        }
        return """
            <section>
              <h2>Go-Live achieved by \(groupTitle.lowercased()) and product</h2>
              <table class="matrix">
                <caption>Projects that achieved Go-Live Completed, of all projects; and how many have a milestone forecast late.</caption>
                <thead><tr><th scope="col">\(groupTitle)</th>\(header)</tr></thead>
                <tbody>\(rows)</tbody>
                <tfoot><tr><th scope="row">All</th>\(products.map { cell(report.totals[$0]) })</tr></tfoot>
              </table>
            </section>
            """
    }

    /// Group x milestone for one product (or all): achieved, forecast late, not started.
    private func milestoneTable(groupTitle: String) -> HTML {
        guard !report.productCodes.isEmpty else { return .empty }
        func cells(of group: RollUpReport.Group) -> RollUpCell {
            guard let product else { return group.total }
            return group.cells[product] ?? RollUpCell()
        }
        func row(_ label: HTML, _ c: RollUpCell) -> HTML {
            let milestones: [HTML] = MilestoneKind.allCases.map { kind in
                guard c.carrying(kind) > 0 else { return "<td class=\"num muted\">–</td>" }
                let late = c.forecastLate(kind)
                return "<td class=\"num\">\(c.achieved(kind))/\(c.carrying(kind))\(late > 0 ? HTML("<br><span class=\"late\">\(late) late</span>") : .empty)</td>"
            }
            return "<tr><th scope=\"row\">\(label)</th><td class=\"num\">\(c.projects)</td>\(milestones)<td class=\"num\">\(c.notStarted)</td></tr>"
        }
        let filters: [HTML] = [HTML("<a href=\"\(Paths.organisation(organisation))\"\(product == nil ? HTML(" aria-current=\"true\"") : .empty)>All products</a>")]
            + report.productCodes.map { code in
                "<a href=\"\(Paths.organisation(organisation, product: code))\"\(product == code ? HTML(" aria-current=\"true\"") : .empty)>\(code)</a>"
            }
        let footerCell: RollUpCell = product.map { report.totals[$0] ?? RollUpCell() } ?? report.total
        let productName = product.flatMap { ProductCatalogue.product(code: $0)?.name } ?? "All products"
        return """
            <section>
              <h2>Reporting milestones: \(productName)</h2>
              <nav class="filters" aria-label="Product">\(filters)</nav>
              <table class="milestones-rollup">
                <caption>Projects that achieved each milestone, of those that carry it; open milestones forecast after their baseline; projects with no milestone achieved.</caption>
                <thead><tr><th scope="col">\(groupTitle)</th><th scope="col">Projects</th>\(MilestoneKind.allCases.map { HTML("<th scope=\"col\">\($0.title)</th>") })<th scope="col">Not started</th></tr></thead>
                <tbody>\(report.groups.map { row(groupLabel($0), cells(of: $0)) })</tbody>
                <tfoot>\(row("All", footerCell))</tfoot>
              </table>
            </section>
            """
    }
}
