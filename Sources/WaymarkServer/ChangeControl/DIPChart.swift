import WaymarkCore

/// Server-rendered SVG of a DIP's year: cumulative obligations planned (due) against actual
/// (delivered), month by month, April to March. The actual line stops at today. Colours are
/// SVG presentation attributes, which the strict CSP allows (it refuses inline styles).
struct DIPChart {
    var performance: DIPPerformance
    var subject: String

    static let planned = "#005eb8"
    static let actual = "#007f3b"

    func render() -> HTML {
        let left = 56.0, right = 24.0, top = 44.0, bottom = 70.0, width = 760.0, height = 340.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let months = performance.months
        let largest = max(1, months.map(\.cumulativeDue).max() ?? 0, months.compactMap(\.cumulativeDelivered).max() ?? 0)
        let step = Self.tickStep(largest)
        let ceiling = Double(((largest + step - 1) / step) * step)
        func x(_ boundary: Double) -> Double { left + plotWidth * boundary / 12 }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / ceiling) }
        var parts: [HTML] = []
        for tick in stride(from: 0, through: Int(ceiling), by: step) {
            parts.append("""
                <line x1="\(left, places: 1)" y1="\(y(tick), places: 1)" x2="\(width - right, places: 1)" y2="\(y(tick), places: 1)" stroke="#d8dde0"/>\
                <text class="axis" x="\(left - 8, places: 1)" y="\(y(tick) + 4, places: 1)" text-anchor="end">\(tick)</text>
                """)
        }
        for (index, month) in months.enumerated() {
            let (year, _, _) = month.start.components
            parts.append("""
                <text class="axis" x="\(x(Double(index)) + plotWidth / 24, places: 1)" y="\(height - bottom + 18, places: 1)" text-anchor="middle">\
                \(FinancialYear.monthNames[index])</text>
                """)
            if index == 0 || index == 9 {
                parts.append("<text class=\"legend\" x=\"\(x(Double(index)) + plotWidth / 24, places: 1)\" y=\"\(height - bottom + 34, places: 1)\" text-anchor=\"middle\">\(String(year))</text>")
            }
        }
        parts.append("""
            <line x1="\(left, places: 1)" y1="\(top, places: 1)" x2="\(left, places: 1)" y2="\(height - bottom, places: 1)" stroke="#425563"/>\
            <line x1="\(left, places: 1)" y1="\(height - bottom, places: 1)" x2="\(width - right, places: 1)" y2="\(height - bottom, places: 1)" stroke="#425563"/>\
            <text class="axis" x="14" y="\(top + plotHeight / 2, places: 1)" text-anchor="middle" transform="rotate(-90 14 \(top + plotHeight / 2, places: 1))">Obligations (cumulative)</text>
            """)
        // The actual line ends at today, part-way through the current month.
        let todayBoundary = performance.year.monthIndex(of: performance.today).map { index -> Double in
            let (_, _, day) = performance.today.components
            return Double(index) + Double(day) / 31
        }
        let plannedPoints = [(0.0, 0)] + months.enumerated().map { (Double($0.offset + 1), $0.element.cumulativeDue) }
        let actualPoints = [(0.0, 0)] + months.enumerated().compactMap { index, month in
            month.cumulativeDelivered.map { (index == performance.year.monthIndex(of: performance.today) ? todayBoundary! : Double(index + 1), $0) }
        }
        parts.append(line(plannedPoints, colour: Self.planned, dashed: true, x: x, y: y, label: "planned (due)"))
        if actualPoints.count > 1 { parts.append(line(actualPoints, colour: Self.actual, dashed: false, x: x, y: y, label: "delivered")) }
        if let todayBoundary {
            let todayX = x(todayBoundary)
            parts.append("<line x1=\"\(todayX, places: 1)\" y1=\"\(top, places: 1)\" x2=\"\(todayX, places: 1)\" y2=\"\(height - bottom, places: 1)\" stroke=\"#d5281b\" stroke-dasharray=\"2 3\"><title>Today, \(performance.today.iso)</title></line>")
        }
        let legendY = height - 14
        parts.append("""
            <line x1="\(left, places: 1)" y1="\(legendY - 4, places: 1)" x2="\(left + 28, places: 1)" y2="\(legendY - 4, places: 1)" stroke="\(Self.planned)" stroke-width="3" stroke-dasharray="6 4"/>\
            <text class="legend" x="\(left + 34, places: 1)" y="\(legendY, places: 1)">Planned: obligations due</text>\
            <line x1="\(left + 230, places: 1)" y1="\(legendY - 4, places: 1)" x2="\(left + 258, places: 1)" y2="\(legendY - 4, places: 1)" stroke="\(Self.actual)" stroke-width="3"/>\
            <text class="legend" x="\(left + 264, places: 1)" y="\(legendY, places: 1)">Actual: obligations delivered (to today)</text>
            """)
        return """
            <svg class="chart dip-chart" role="img" aria-labelledby="dip-chart-title dip-chart-desc" viewBox="0 0 \(width, places: 0) \(height, places: 0)" width="\(width, places: 0)" height="\(height, places: 0)" xmlns="http://www.w3.org/2000/svg">
            <title id="dip-chart-title">DIP obligations planned and delivered, \(subject), \(performance.year.label)</title>
            <desc id="dip-chart-desc">Cumulative obligations due and delivered by month: \(performance.totalDue) due in the year, \(performance.totalDelivered) delivered so far.</desc>
            \(parts)
            <text class="label total" x="\(left, places: 1)" y="24">Cumulative planned versus actual, \(performance.year.label)</text>
            </svg>
            """
    }

    func line(_ points: [(Double, Int)], colour: String, dashed: Bool, x: (Double) -> Double, y: (Int) -> Double, label: String) -> HTML {
        let path = points.map { "\(HTML.format(x($0.0), places: 1)),\(HTML.format(y($0.1), places: 1))" }.joined(separator: " ")
        let markers: [HTML] = points.dropFirst().map { boundary, value in
            let index = Int(boundary.rounded(.up)) - 1
            let (year, _, _) = performance.months[index].start.components
            let when = boundary == boundary.rounded() ? "End of \(FinancialYear.monthNames[index]) \(year)" : "Today, \(performance.today.iso)"
            return "<circle cx=\"\(x(boundary), places: 1)\" cy=\"\(y(value), places: 1)\" r=\"4\" fill=\"\(colour)\"><title>\(when): \(value) \(label) in total</title></circle>"
        }
        return "<g><polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"3\"\(dashed ? HTML(" stroke-dasharray=\"6 4\"") : .empty)/>\(markers)</g>"
    }

    /// A round step giving about five gridlines.
    static func tickStep(_ largest: Int) -> Int {
        let raw = max(1, largest / 5)
        var magnitude = 1
        while magnitude * 10 <= raw { magnitude *= 10 }
        for factor in [1, 2, 5, 10] where factor * magnitude >= raw { return factor * magnitude }
        return 10 * magnitude
    }
}
