import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/organisations/CODE/going-live`: the sites going live in the next 30, 60 or 90 days, each
/// with its readiness score and reasons; a chart by month and band, with its numbers as a table.
struct GoingLivePage {
    var outlook: GoingLiveService.Outlook
    /// Rows shown on the page; the CSV has them all.
    static let shown = 200
    static let colours: [ReadinessScore.Band: String] = [.ready: "#007f3b", .atRisk: "#ffb81c", .notReady: "#d5281b"]

    static func path(_ code: String) -> String { "/organisations/\(urlEncoded(code))/going-live" }

    var query: String {
        var parts = ["days=\(outlook.days)"]
        if let product = outlook.product { parts.append("product=\(urlEncoded(product))") }
        if let supplier = outlook.supplier { parts.append("supplier=\(urlEncoded(supplier.code))") }
        return parts.joined(separator: "&")
    }

    func render() -> HTML {
        let o = outlook, code = o.organisation.code
        let rows: [HTML] = o.entries.prefix(Self.shown).map { e in
            let reasons: HTML = e.score.reasons.isEmpty ? "None" : HTML("<ul>\(e.score.reasons.map { HTML("<li>\($0)</li>") })</ul>")
            return """
                <tr><td><a href="\(Paths.project(e.row.projectCode))">\(e.row.projectCode)</a></td><td>\(e.row.siteName)</td><td>\(e.row.productCode)</td>\
                <td>\(e.row.supplierName ?? "–")</td><td>\(e.row.goLive.iso)</td><td>\(e.daysAway)</td>\
                <td><span class="rag rag-\(Self.tone(e.score.band))">\(e.score.value)</span> \(e.score.band.title)</td><td>\(reasons)</td></tr>
                """
        }
        let more: HTML = o.entries.count > Self.shown ? HTML("<p>The first \(Self.shown) of \(o.entries.count) are shown; the CSV has them all.</p>") : .empty
        return Layout(title: "Going live: \(o.organisation.name)", breadcrumbs: [(o.organisation.name, "/organisations/\(urlEncoded(code))")]).render("""
            <h1>Going live in the next \(o.days) days</h1>
            <p class="kind">\(o.organisation.name)\(o.product.map { HTML(" · \($0)") } ?? .empty)\(o.supplier.map { HTML(" · \($0.name)") } ?? .empty) · as of \(o.today.iso)</p>
            \(filters)
            <p>\(o.entries.count) project\(o.entries.count == 1 ? "" : "s") forecast to complete Go Live by \(o.today.adding(days: o.days).iso). \
            Each is scored out of 100 for readiness: a signed Operational Readiness Report, Go Live Checklists, showstoppers, clinical safety, \
            surveys and data quality; the reasons say what is missing. 80 and over is ready, under 50 not ready.</p>
            \(chart)
            <p><a href="\(Self.path(code)).csv?\(query)">Download this list as CSV</a> · <a href="/api/v1/organisations/\(urlEncoded(code))/going-live?\(query)">The same list as JSON</a></p>
            \(rows.isEmpty ? HTML("<p>No project is forecast to go live in this window.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Projects, soonest first</caption>
                <thead><tr><th scope="col">Project</th><th scope="col">Site</th><th scope="col">Product</th><th scope="col">Supplier</th>\
                <th scope="col">Go live</th><th scope="col">Days away</th><th scope="col">Readiness</th><th scope="col">Reasons</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """))\(more)
            """)
    }

    static func tone(_ band: ReadinessScore.Band) -> String {
        switch band { case .ready: "green"; case .atRisk: "amber"; case .notReady: "red" }
    }

    var filters: HTML {
        let o = outlook
        let days: [HTML] = GoingLiveService.windows.map { "<option value=\"\($0)\"\($0 == o.days ? HTML(" selected") : .empty)>Next \($0) days</option>" }
        let products: [HTML] = [HTML("<option value=\"\">All products</option>")] + ProductCatalogue.all.map { p in
            "<option value=\"\(p.code)\"\(p.code == o.product ? HTML(" selected") : .empty)>\(p.name)</option>"
        }
        return """
            <form method="get" action="\(Self.path(o.organisation.code))" class="filters no-print">
            <label for="days">Window</label> <select id="days" name="days">\(days)</select>
            <label for="product">Product</label> <select id="product" name="product">\(products)</select>
            <label for="supplier">Supplier code</label> <input type="text" id="supplier" name="supplier" value="\(o.supplier?.code ?? "")" size="8">
            <button type="submit">Show</button></form>
            """
    }

    /// One stacked bar per 30 days, by band.
    var chart: HTML {
        let counts = outlook.counts
        let top = max(1, counts.map { $0.values.reduce(0, +) }.max() ?? 1)
        let barWidth = 120.0, gap = 60.0, height = 160.0
        var shapes: [HTML] = []
        var rows: [HTML] = []
        for (period, bands) in counts.enumerated() {
            let x = 40 + Double(period) * (barWidth + gap)
            var y = height
            let label = "Days \(period * 30 + 1)–\((period + 1) * 30)"
            for band in ReadinessScore.Band.allCases {
                let n = bands[band] ?? 0
                guard n > 0 else { continue }
                let h = height * Double(n) / Double(top)
                y -= h
                shapes.append("<rect x=\"\(x, places: 1)\" y=\"\(y + 10, places: 1)\" width=\"\(barWidth, places: 1)\" height=\"\(h, places: 1)\" fill=\"\(Self.colours[band]!)\"><title>\(label), \(band.title): \(n)</title></rect>")
            }
            shapes.append("<text x=\"\(x + barWidth / 2, places: 1)\" y=\"\(height + 28, places: 1)\" text-anchor=\"middle\">\(label)</text>")
            rows.append("<tr><th scope=\"row\">\(label)</th>\(ReadinessScore.Band.allCases.map { HTML("<td>\(bands[$0] ?? 0)</td>") })<td>\(bands.values.reduce(0, +))</td></tr>")
        }
        let width = 40 + Double(counts.count) * (barWidth + gap)
        let summary = counts.enumerated().map { i, b in "days \(i * 30 + 1) to \((i + 1) * 30): " + ReadinessScore.Band.allCases.map { "\($0.title.lowercased()) \(b[$0] ?? 0)" }.joined(separator: ", ") }.joined(separator: "; ")
        return """
            <div class="chart-wrap"><svg class="chart" viewBox="0 0 \(width, places: 0) \(height + 40, places: 0)" role="img" aria-labelledby="going-live-chart-title">\
            <title id="going-live-chart-title">Projects going live by 30-day period and readiness: \(summary).</title>\(shapes)</svg></div>
            <div class="table-wrap"><table><caption>Projects going live by period and readiness</caption>
            <thead><tr><th scope="col">Period</th>\(ReadinessScore.Band.allCases.map { HTML("<th scope=\"col\">\($0.title)</th>") })<th scope="col">All</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
