import WaymarkCore
import WaymarkService

/// What the readiness area shows on an organisation's page: its sites preparing a project
/// (stage 0) by Organisational Readiness Assessment rating, as a bar and as a table.
enum ReadinessPanels {
    static let order: [(ReadinessRating?, String, String)] = [
        (.ready, "Ready", "#007f3b"), (.partlyReady, "Partly ready", "#ffb81c"), (.notReady, "Not ready", "#d5281b"),
        (nil, "Not assessed", "#768692"), (.notApplicable, "Not applicable", "#aeb7bd"),
    ]

    static func organisation(_ view: ProgrammeService.OrganisationView, service: SurveyService, user: ActingUser) async throws -> HTML {
        let counts = try await service.stageZeroReadiness(organisationCode: view.organisation.code, as: user)
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return .empty }
        var x = 0.0
        let width = 600.0
        var bars: [HTML] = []
        for (rating, title, colour) in order {
            let n = counts[rating] ?? 0
            guard n > 0 else { continue }
            let w = width * Double(n) / Double(total)
            bars.append("<rect x=\"\(x, places: 1)\" y=\"0\" width=\"\(w, places: 1)\" height=\"28\" fill=\"\(colour)\"><title>\(title): \(n)</title></rect>")
            x += w
        }
        let rows: [HTML] = order.map { rating, title, _ in "<tr><td>\(title)</td><td>\(counts[rating] ?? 0)</td></tr>" }
        let summary = order.map { "\($0.1) \(counts[$0.0] ?? 0)" }.joined(separator: ", ")
        return """
            <section aria-labelledby="readiness-heading">
            <h2 id="readiness-heading">Organisational readiness (stage 0)</h2>
            <p>\(total) site\(total == 1 ? "" : "s") preparing a project, by the worst Organisational Readiness Assessment rating of their stage 0 projects.</p>
            <div class="chart-wrap"><svg class="chart" viewBox="0 0 600 28" role="img" aria-labelledby="readiness-bar-title">\
            <title id="readiness-bar-title">Sites in stage 0 by readiness: \(summary).</title>\(bars)</svg></div>
            <div class="table-wrap"><table><caption>Sites in stage 0 by readiness rating</caption>
            <thead><tr><th scope="col">Rating</th><th scope="col">Sites</th></tr></thead><tbody>\(rows)</tbody></table></div>
            </section>
            """
    }
}
