import WaymarkCore
import WaymarkService

/// A project's data quality (issue 14): the trend of valid NHS Numbers over its checks as an SVG
/// chart with the same figures as a table, each check's counts, the migration loads, and the
/// forms to check an extract and record a load.
struct DataQualityPage {
    var history: DataQualityService.History
    var csrfToken: String
    var canRecord: Bool
    var today: Day
    var form = FormState()
    var notice: String?

    func render() -> HTML {
        let p = history.project.project
        let base = "/projects/\(urlEncoded(p.code))"
        return Layout(title: "Data quality: \(p.code)", breadcrumbs: [(p.code, base)]).render("""
            <h1>Data quality and migration: \(p.code)</h1>
            <p class="kind">\(history.project.organisationName) · \(p.productCode)</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)
            <p>NHS Numbers are the prime key of the new systems (§4.2.6). A check reads an extract as it arrives and keeps only the counts: \
            no NHS Number, name or other patient detail is stored or logged.</p>
            <section aria-labelledby="checks-heading"><h2 id="checks-heading">Checks</h2>
            \(history.checks.isEmpty ? HTML("<p>No checks yet.</p>") : HTML([DataQualityTrendChart(checks: history.checks).render(), checksTable]))
            \(canRecord ? checkForm(base) : .empty)
            </section>
            <section aria-labelledby="loads-heading"><h2 id="loads-heading">Migration loads</h2>
            \(history.loads.isEmpty ? HTML("<p>No loads recorded yet.</p>") : loadsTable)
            \(canRecord ? loadForm(base) : .empty)
            </section>
            """)
    }

    var checksTable: HTML {
        let rows: [HTML] = history.checks.reversed().map { c in
            let n = c.counts
            let fields = n.fields.filter { $0.missing > 0 }.map { "\($0.name) \($0.missing)" }.joined(separator: "; ")
            return """
                <tr><td>\(c.checkedOn.iso)</td><td>\(n.source == .list ? "List" : "Extract")</td><td>\(n.records)</td><td>\(n.valid)</td>\
                <td>\(Double(n.validPerMille) / 10, places: 1)%</td><td>\(n.invalid)</td><td>\(n.missing)</td><td>\(n.duplicates)</td>\
                <td>\(fields.isEmpty ? "none" : fields)</td><td>\(c.checkedBy)</td></tr>
                """
        }
        return """
            <div class="table-wrap"><table><caption>Each check, newest first</caption>
            <thead><tr><th scope="col">Checked</th><th scope="col">File</th><th scope="col">Records</th><th scope="col">Valid</th>\
            <th scope="col">Valid share</th><th scope="col">Invalid</th><th scope="col">No number</th><th scope="col">Duplicates</th>\
            <th scope="col">Empty demographic fields</th><th scope="col">By</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    var loadsTable: HTML {
        let rows: [HTML] = history.loads.reversed().map { l in
            "<tr><td>\(l.name)</td><td>\(l.loadedOn.iso)</td><td>\(l.migrated)</td><td>\(l.verified)</td><td>\(l.rejected)</td><td>\(l.recordedBy)</td></tr>"
        }
        return """
            <div class="table-wrap"><table><caption>Loads, newest first</caption>
            <thead><tr><th scope="col">Load</th><th scope="col">Day</th><th scope="col">Migrated</th><th scope="col">Verified</th>\
            <th scope="col">Rejected</th><th scope="col">Recorded by</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    func checkForm(_ base: String) -> HTML {
        let error = form.failedForm == "check" ? form.errors.first { $0.field == "file" }?.message : nil
        let errorHTML: HTML = error.map { HTML("<span class=\"error-message\" id=\"check-file-error\">\($0)</span>") } ?? .empty
        return """
            <h3>Check an extract</h3>
            <form class="upload stacked" method="post" action="\(base)/data-quality" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <div\(error == nil ? HTML.empty : HTML(" class=\"field-error\""))><label for="check-file">Extract (CSV) or list of NHS Numbers</label>\
            <span class="hint">A CSV with an "NHS Number" column and any demographic columns, or one number per line. Up to 256 MB.</span>\(errorHTML)\
            <input id="check-file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain"\(error == nil ? HTML.empty : HTML(" aria-invalid=\"true\" aria-describedby=\"check-file-error\""))></div>
            <p><button type="submit">Check</button></p>
            </form>
            """
    }

    func loadForm(_ base: String) -> HTML {
        """
        <h3>Record a load</h3>
        <form class="stacked" method="post" action="\(base)/migration-loads" novalidate>
        <input type="hidden" name="csrf" value="\(csrfToken)">
        \(form.field("load", "name", "Load", hint: "As the migration plan names it, for example Trial load 2."))
        \(form.field("load", "loadedOn", "Day of the load", today.iso, hint: "YYYY-MM-DD"))
        \(form.field("load", "migrated", "Records migrated", type: "number"))
        \(form.field("load", "verified", "Records verified", type: "number"))
        \(form.field("load", "rejected", "Records rejected", type: "number"))
        <p><button type="submit">Record load</button></p>
        </form>
        """
    }
}

/// The share of valid NHS Numbers at each check, as an SVG line; the table beside it has the numbers.
struct DataQualityTrendChart {
    var checks: [DataQualityCheck]

    func render() -> HTML {
        let left = 52.0, right = 20.0, top = 20.0, bottom = 44.0, width = 640.0, height = 240.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let shown = Array(checks.suffix(24))
        func x(_ index: Int) -> Double { shown.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(shown.count - 1) }
        func y(_ perMille: Int) -> Double { top + plotHeight * (1 - Double(perMille) / 1000) }
        var parts: [HTML] = []
        for tick in stride(from: 0, through: 1000, by: 250) {
            parts.append("""
                <line x1="\(left, places: 1)" y1="\(y(tick), places: 1)" x2="\(width - right, places: 1)" y2="\(y(tick), places: 1)" stroke="#d8dde0"/>\
                <text class="axis" x="\(left - 6, places: 1)" y="\(y(tick) + 4, places: 1)" text-anchor="end">\(tick / 10)%</text>
                """)
        }
        let points = shown.enumerated().map { "\(HTML.format(x($0.offset), places: 1)),\(HTML.format(y($0.element.counts.validPerMille), places: 1))" }
        parts.append("<polyline fill=\"none\" stroke=\"#005eb8\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>")
        for (index, check) in shown.enumerated() {
            parts.append("""
                <circle cx="\(x(index), places: 1)" cy="\(y(check.counts.validPerMille), places: 1)" r="4" fill="#005eb8">\
                <title>\(check.checkedOn.iso): \(Double(check.counts.validPerMille) / 10, places: 1)% valid</title></circle>
                """)
        }
        if let first = shown.first, let last = shown.last {
            parts.append("<text class=\"axis\" x=\"\(left, places: 1)\" y=\"\(height - 16, places: 1)\">\(first.checkedOn.iso)</text>")
            if shown.count > 1 { parts.append("<text class=\"axis\" x=\"\(width - right, places: 1)\" y=\"\(height - 16, places: 1)\" text-anchor=\"end\">\(last.checkedOn.iso)</text>") }
        }
        let summary = shown.last.map { "The latest check found \(Double($0.counts.validPerMille) / 10)% of records with a valid NHS Number." } ?? ""
        return """
            <div class="chart-wrap"><svg class="chart" viewBox="0 0 \(width, places: 0) \(height, places: 0)" role="img" aria-labelledby="dq-trend-title">\
            <title id="dq-trend-title">Share of records with a valid NHS Number at each check. \(summary)</title>\(parts)</svg>
            <p class="hint">Valid NHS Numbers at each check (the last \(shown.count)); the table below gives every figure.</p></div>
            """
    }
}
