import WaymarkCore

/// Server-rendered SVG Gantt: bars, milestones as diamonds, summary brackets, dependency arrows,
/// the critical path in red, an optional baseline beneath each bar, and a line for today.
/// Sized by the date span so 500 rows stay readable; colours come from stylesheet classes.
struct GanttChart {
    struct Row {
        var id: Int
        var label: String
        var level: Int
        var start: Day
        var finish: Day
        var isMilestone: Bool
        var isSummary: Bool
        var isCritical: Bool
        var baseline: (start: Day, finish: Day)?
        /// Another project's task, shown for cross-project links.
        var isExternal = false
    }

    struct Link {
        var from: Int
        var to: Int
        var kind: DependencyKind
    }

    var rows: [Row]
    var links: [Link]
    var today: Day

    static let labelWidth = 300.0, rowHeight = 20.0, top = 36.0

    func render() -> HTML {
        guard let first = rows.map({ min($0.start, $0.baseline?.start ?? $0.start) }).min(),
              let last = rows.map({ max($0.finish, $0.baseline?.finish ?? $0.finish) }).max() else {
            return "<p>The plan has no tasks yet.</p>"
        }
        // Pad to whole months so the scale reads naturally.
        let origin = Day(year: first.components.year, month: first.components.month, day: 1)!
        let end = last.adding(days: 14)
        let span = Double(end.ordinal - origin.ordinal + 1)
        let perDay = min(24, max(1.2, 1100 / span))
        let width = Self.labelWidth + span * perDay + 20
        let height = Self.top + Self.rowHeight * Double(rows.count) + 10
        func x(_ day: Day) -> Double { Self.labelWidth + Double(day.ordinal - origin.ordinal) * perDay }
        func y(_ index: Int) -> Double { Self.top + Self.rowHeight * Double(index) }

        var parts: [HTML] = [
            """
            <defs><marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto-start-reverse">\
            <path class="arrowhead" d="M0,0 L6,3 L0,6 z"/></marker></defs>
            """,
        ]
        // Month grid and labels.
        var month = origin
        while month <= end {
            let (year, number, _) = month.components
            let next = number == 12 ? Day(year: year + 1, month: 1, day: 1)! : Day(year: year, month: number + 1, day: 1)!
            parts.append("<line class=\"grid\" x1=\"\(x(month), places: 1)\" y1=\"\(Self.top - 16, places: 1)\" x2=\"\(x(month), places: 1)\" y2=\"\(height, places: 1)\"/>")
            if Double(next.ordinal - month.ordinal) * perDay >= 28 {
                parts.append("<text class=\"axis\" x=\"\(x(month) + 3, places: 1)\" y=\"\(Self.top - 6, places: 1)\">\(Self.monthLabel(month))</text>")
            }
            month = next
        }
        let index = Dictionary(rows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (i, row) in rows.enumerated() {
            let top = y(i)
            let label = String(repeating: "\u{2003}", count: min(row.level, 8)) + row.label
            parts.append("<text class=\"label\(row.isSummary ? " total" : "")\" x=\"6\" y=\"\(top + 14, places: 1)\">\(Self.truncated(label, 46))</text>")
            let tip = "\(row.label): \(row.start.iso) to \(row.finish.iso)\(row.isCritical ? " (critical)" : "")"
                + (row.baseline.map { ", baseline \($0.start.iso) to \($0.finish.iso)" } ?? "")
            if let baseline = row.baseline {
                let bx = x(baseline.start), bw = max(2, x(baseline.finish.adding(days: 1)) - bx)
                parts.append("<rect class=\"baseline\" x=\"\(bx, places: 1)\" y=\"\(top + 14, places: 1)\" width=\"\(bw, places: 1)\" height=\"3\"/>")
            }
            let cls = row.isExternal ? "external" : row.isCritical ? "critical" : "task"
            if row.isMilestone {
                let cx = x(row.start) + perDay / 2, cy = top + Self.rowHeight / 2
                parts.append("<polygon class=\"milestone \(cls)\" points=\"\(cx, places: 1),\(cy - 6, places: 1) \(cx + 6, places: 1),\(cy, places: 1) \(cx, places: 1),\(cy + 6, places: 1) \(cx - 6, places: 1),\(cy, places: 1)\"><title>\(tip)</title></polygon>")
            } else if row.isSummary {
                let sx = x(row.start), sw = max(2, x(row.finish.adding(days: 1)) - sx)
                parts.append("<rect class=\"summary\" x=\"\(sx, places: 1)\" y=\"\(top + 5, places: 1)\" width=\"\(sw, places: 1)\" height=\"5\"><title>\(tip)</title></rect>")
            } else {
                let bx = x(row.start), bw = max(2, x(row.finish.adding(days: 1)) - bx)
                parts.append("<rect class=\"bar \(cls)\" x=\"\(bx, places: 1)\" y=\"\(top + 3, places: 1)\" width=\"\(bw, places: 1)\" height=\"11\" rx=\"2\"><title>\(tip)</title></rect>")
            }
        }
        for link in links {
            guard let from = index[link.from], let to = index[link.to] else { continue }
            let a = rows[from], b = rows[to]
            let fromEnd = link.kind == .finishToStart || link.kind == .finishToFinish
            let toStart = link.kind == .finishToStart || link.kind == .startToStart
            let x1 = fromEnd ? x(a.finish.adding(days: a.isMilestone ? 0 : 1)) : x(a.start)
            let x2 = toStart ? x(b.start) : x(b.finish.adding(days: b.isMilestone ? 0 : 1))
            let y1 = y(from) + Self.rowHeight / 2, y2 = y(to) + Self.rowHeight / 2
            let elbow = fromEnd ? x1 + 6 : x1 - 6
            let critical = a.isCritical && b.isCritical ? " critical" : ""
            parts.append("<path class=\"link\(critical)\" marker-end=\"url(#arrow)\" d=\"M\(x1, places: 1),\(y1, places: 1) H\(elbow, places: 1) V\(y2, places: 1) H\(x2, places: 1)\"/>")
        }
        if today >= origin && today <= end {
            parts.append("<line class=\"today\" x1=\"\(x(today), places: 1)\" y1=\"\(Self.top - 16, places: 1)\" x2=\"\(x(today), places: 1)\" y2=\"\(height, places: 1)\"><title>Today, \(today.iso)</title></line>")
        }
        return """
            <div class="chart-wrap"><svg class="chart gantt" xmlns="http://www.w3.org/2000/svg" width="\(width, places: 0)" height="\(height, places: 0)" \
            viewBox="0 0 \(width, places: 0) \(height, places: 0)" role="img" aria-label="Gantt chart of \(rows.count) tasks">\(parts)</svg></div>
            """
    }

    static func monthLabel(_ day: Day) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let (year, month, _) = day.components
        return "\(names[month - 1]) \(year)"
    }

    static func truncated(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
