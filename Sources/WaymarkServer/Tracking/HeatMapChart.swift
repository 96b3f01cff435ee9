import WaymarkCore
import WaymarkService

/// Priority × controllability as an SVG grid: darker cells hold more records, each cell links
/// to the matching register list. Server-rendered, so it works without JavaScript.
struct HeatMapChart {
    var map: TrackingHeatMap
    /// The register list a cell links to, given its priority and controllability.
    var link: (RiskPriority, Controllability) -> String
    var compact = false

    func render() -> HTML {
        let cell = compact ? 34 : 64, left = compact ? 110 : 150, top = compact ? 22 : 44
        let width = left + cell * 4 + 10, height = top + cell * 5 + 10
        let largest = max(1, map.largest)
        var parts: [HTML] = compact ? [] : [
            "<text x=\"\(left + cell * 2)\" y=\"\(top - 22)\" text-anchor=\"middle\" class=\"axis-title\">Controllability</text>",
            "<text x=\"4\" y=\"\(top - 8)\" class=\"axis-title\">Priority</text>",
        ]
        for (column, controllability) in Controllability.allCases.enumerated() {
            parts.append("<text x=\"\(left + column * cell + cell / 2)\" y=\"\(top - 8)\" text-anchor=\"middle\">\(controllability.rawValue)</text>")
        }
        for priority in RiskPriority.allCases {
            let y = top + (priority.rawValue - 1) * cell
            parts.append("<text x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(compact ? String(priority.rawValue) : priority.label)</text>")
            for (column, controllability) in Controllability.allCases.enumerated() {
                let count = map.count(priority, controllability)
                // Five shades; red marks the worst corner the guide cares about (1-2 × C-D).
                let shade = count == 0 ? 0 : 1 + min(4, count * 4 / largest)
                let severe = priority.rawValue <= 2 && column >= 2 ? " severe" : ""
                let x = left + column * cell
                parts.append("""
                    <a href="\(link(priority, controllability))"><rect class="heat heat-\(shade)\(severe)" x="\(x)" y="\(y)" width="\(cell - 2)" height="\(cell - 2)">\
                    <title>\(priority.label) × \(controllability.rawValue) (\(controllability.meaning)): \(count)</title></rect>\
                    <text x="\(x + cell / 2 - 1)" y="\(y + cell / 2 + 4)" text-anchor="middle" class="heat-count">\(count)</text></a>
                    """)
            }
        }
        return """
            <svg class="chart heatmap" role="img" aria-label="Heat map of priority by controllability: \(map.total) live records" \
            viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg">\(parts)</svg>
            """
    }
}

/// The heat map of an organisation's subtree, for risks or issues.
struct HeatMapPage {
    var view: TrackingService.HeatMapView

    func render() -> HTML {
        let organisation = view.organisation
        let name = organisation.kind == .national ? "the National Programme" : organisation.name
        let base = "/organisations/\(urlEncoded(organisation.code))/register"
        let title = "\(view.kind.title)s in \(name) by priority and controllability"
        let chart = HeatMapChart(map: view.map) { priority, controllability in
            "\(base)?kind=\(view.kind.rawValue)&status=open&priority=\(priority.rawValue)&controllability=\(controllability.rawValue)&below=1"
        }
        let other: TrackingKind = view.kind == .risk ? .issue : .risk
        let content: HTML = """
            <h1>\(title)</h1>
            <p class="kind">Open \(view.kind.rawValue)s in every register in \(name), by their current assessment (residual once assessed). \
            Select a cell to list them.</p>
            <section class="cards" aria-label="Summary">
            <div class="card"><span class="value">\(view.map.total)</span><span class="label">Open \(view.kind.rawValue)s</span></div>
            \(view.kind == .risk ? HTML("<div class=\"card warn\"><span class=\"value\">\(view.map.flagged)</span><span class=\"label\"><a href=\"\(base)?kind=risk&amp;status=open&amp;flagged=1&amp;below=1\">Missing their required plan</a></span></div>") : .empty)
            </section>
            <div class="chart-wrap">\(chart.render())</div>
            <p class="hint">Rows: priority (1 Showstopper to 5 Lowest). Columns: controllability (A plans in hand, very high confidence; B confident; C little confidence; D no plans).</p>
            <p><a href="?kind=\(other.rawValue)">\(other.title) heat map</a> · <a href="\(base)?overdue=1&amp;below=1">Overdue reviews and actions</a> · <a href="\(base)?below=1">All records</a></p>
            """
        return Layout(title: title, breadcrumbs: [(organisation.kind == .national ? "National" : organisation.name, Paths.organisation(organisation))]).render(content)
    }
}
