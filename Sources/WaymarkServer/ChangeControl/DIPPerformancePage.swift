import WaymarkCore
import WaymarkService

/// DIP performance for an organisation's subtree (a cluster, an SHA, or any level): obligations
/// due, delivered, late and at risk per month, and the cumulative planned-versus-actual chart.
struct DIPPerformancePage {
    var view: ChangeControlService.PerformanceView

    func render() -> HTML {
        let organisation = view.organisation
        let p = view.performance
        let name = organisation.kind == .national ? "the National Programme" : organisation.name
        let title = "DIP performance: \(name), \(p.year.label)"
        let years = Set(view.dips.map(\.dip.year) + [FinancialYear(containing: p.today), p.year]).sorted()
        let selector: [HTML] = years.map { year in
            "<a href=\"\(ChangeControlHTML.performance(organisation, year: year))\"\(year == p.year ? HTML(" aria-current=\"true\"") : .empty)>\(year.label)</a>"
        }
        let rows: [HTML] = p.months.enumerated().map { index, month in
            let (year, _, _) = month.start.components
            return """
                <tr><th scope="row">\(FinancialYear.monthNames[index]) \(String(year))</th><td class="num">\(month.due)</td><td class="num">\(month.delivered)</td>\
                <td class="num">\(month.late)</td><td class="num">\(month.atRisk)</td><td class="num">\(month.cumulativeDue)</td>\
                <td class="num">\(month.cumulativeDelivered.map(String.init) ?? "–")</td></tr>
                """
        }
        let dips: [HTML] = view.dips.map { entry in
            """
            <li><a href="\(ChangeControlHTML.dip(organisation, entry.dip.id))">\(entry.dip.year.label) DIP of \(entry.supplierName)</a> \
            (\(entry.dip.state.title.lowercased()))</li>
            """
        }
        return Layout(title: title, breadcrumbs: [(organisation.kind == .national ? "National" : organisation.name, Paths.organisation(organisation))]).render("""
            <h1>\(title)</h1>
            <p class="hint">Obligations of the agreed Detailed Implementation Plans at \(name), by the month they fall due; delivered when every linked project has achieved the due milestone.</p>
            <p class="filters">Financial year: \(selector.joinedHTML(" "))</p>
            \(organisation.kind == .cluster ? HTML("<p><a href=\"/organisations/\(urlEncoded(organisation.code))/dip-setup\">Create a DIP or import its lines</a></p>") : .empty)
            <section class="cards" aria-label="The year's obligations">
              <div class="card"><span class="value">\(p.totalDue)</span><span class="label">Due in \(p.year.label)</span></div>
              <div class="card"><span class="value">\(p.totalDelivered)</span><span class="label">Delivered</span></div>
              <div class="card\(p.totalLate > 0 ? HTML(" warn") : .empty)"><span class="value">\(p.totalLate)</span><span class="label">Late</span></div>
              <div class="card\(p.totalAtRisk > 0 ? HTML(" warn") : .empty)"><span class="value">\(p.totalAtRisk)</span><span class="label">At risk</span></div>
            </section>
            <div class="chart-wrap">\(DIPChart(performance: p, subject: name).render())</div>
            <table><caption>Obligations per month. Late: due date passed without delivery, or delivered after it. At risk: not yet due, \
            and forecast after the due date or with no project or forecast.</caption>
            <thead><tr><th>Month</th><th class="num">Due</th><th class="num">Delivered</th><th class="num">Late</th><th class="num">At risk</th>\
            <th class="num">Cumulative due</th><th class="num">Cumulative delivered</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            <h2>Detailed Implementation Plans</h2>
            \(dips.isEmpty ? HTML("<p>No DIP applies here.</p>") : HTML("<ul>\(dips)</ul>"))
            """)
    }
}
