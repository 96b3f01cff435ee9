import WaymarkCore
import WaymarkStorage

/// Server-rendered SVG of a roll-up: one row per group, one column per product, each cell a
/// bar split into complete, forecast late, under way and not started. Colours come from the
/// stylesheet's classes, so the strict CSP needs no inline styles.
struct RollUpChart {
    var report: RollUpReport

    static let segments: [(cssClass: String, label: String)] = [
        ("seg-complete", "Complete"), ("seg-late", "Forecast late"),
        ("seg-ontrack", "Under way, on track"), ("seg-notstarted", "Not started"),
    ]

    static func shares(_ cell: RollUpCell) -> [Int] {
        [cell.complete, cell.late, cell.onTrackStarted, cell.onTrackNotStarted]
    }

    func render() -> HTML {
        let products = report.productCodes
        let labelWidth = 230.0, cellWidth = 92.0, rowHeight = 26.0, top = 40.0
        let width = labelWidth + cellWidth * Double(max(products.count, 1)) + 10
        let rows = report.groups + [RollUpReport.Group(organisation: nil, cells: report.totals, total: report.total)]
        let height = top + rowHeight * Double(rows.count) + 40
        var parts: [HTML] = []
        for (column, product) in products.enumerated() {
            let x = labelWidth + cellWidth * Double(column) + cellWidth / 2
            parts.append("<text class=\"axis\" x=\"\(x, places: 1)\" y=\"\(top - 12, places: 1)\" text-anchor=\"middle\">\(product)</text>")
        }
        for (index, group) in rows.enumerated() {
            let y = top + rowHeight * Double(index)
            let isTotal = index == rows.count - 1
            let label = isTotal ? "All" : (group.organisation?.name ?? "At \(report.organisation.name)")
            let link = isTotal ? nil : group.organisation.map { Paths.organisation($0) }
            let labelText: HTML = "<text class=\"label\(isTotal ? " total" : "")\" x=\"\(labelWidth - 8, places: 1)\" y=\"\(y + rowHeight / 2 + 4, places: 1)\" text-anchor=\"end\">\(Self.truncated(label, 34))</text>"
            parts.append(link.map { "<a href=\"\($0)\">\(labelText)</a>" } ?? labelText)
            for (column, product) in products.enumerated() {
                let cell = group.cells[product] ?? RollUpCell()
                let x0 = labelWidth + cellWidth * Double(column) + 4
                parts.append(bar(cell, x: x0, y: y + 4, width: cellWidth - 8, height: rowHeight - 8, product: product, group: label))
            }
        }
        var legendX = labelWidth
        for (cssClass, label) in Self.segments {
            parts.append("<rect class=\"\(cssClass)\" x=\"\(legendX, places: 1)\" y=\"\(height - 24, places: 1)\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"\(legendX + 16, places: 1)\" y=\"\(height - 14, places: 1)\">\(label)</text>")
            legendX += 40 + Double(label.count) * 6.5
        }
        return """
            <svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 \(width, places: 0) \(height, places: 0)" width="\(width, places: 0)" height="\(height, places: 0)" xmlns="http://www.w3.org/2000/svg">
            <title id="chart-title">Implementation progress of \(report.organisation.name) by \(groupNoun)product</title>
            \(parts)
            </svg>
            """
    }

    private var groupNoun: String {
        switch report.organisation.kind {
        case .site: ""
        case .supplier: "cluster and "
        default: (report.organisation.kind.childKind?.title.lowercased() ?? "group") + " and "
        }
    }

    private func bar(_ cell: RollUpCell, x: Double, y: Double, width: Double, height: Double, product: String, group: String) -> HTML {
        guard cell.projects > 0 else {
            return "<rect class=\"seg-empty\" x=\"\(x, places: 1)\" y=\"\(y, places: 1)\" width=\"\(width, places: 1)\" height=\"\(height, places: 1)\"/>"
        }
        var parts: [HTML] = []
        var offset = x
        let shares = Self.shares(cell)
        for (share, segment) in zip(shares, Self.segments) where share > 0 {
            let w = width * Double(share) / Double(cell.projects)
            parts.append("<rect class=\"\(segment.cssClass)\" x=\"\(offset, places: 2)\" y=\"\(y, places: 1)\" width=\"\(w, places: 2)\" height=\"\(height, places: 1)\"/>")
            offset += w
        }
        let summary = "\(group), \(product): \(cell.projects) projects; \(cell.complete) complete, \(cell.late) forecast late, \(cell.onTrackStarted) under way on track, \(cell.onTrackNotStarted) not started"
        return "<g><title>\(summary)</title>\(parts)</g>"
    }

    static func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
