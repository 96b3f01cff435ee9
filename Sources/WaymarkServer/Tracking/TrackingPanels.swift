import WaymarkCore
import WaymarkService

/// The register's sections on the project and organisation pages.
enum TrackingPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: TrackingService, user: ActingUser) async throws -> HTML {
        let register = try await service.register(.project(view.project.code), for: .viewRecords, as: user)
        let summary = try await service.summary(of: register, below: false, as: user)
        let base = Paths.project(view.project.code) + "/register"
        return """
            <section><h2>Risks and issues</h2>
            <p><a href="\(base)?kind=risk&amp;status=open">\(summary.openRisks) open risk\(summary.openRisks == 1 ? "" : "s")</a> · \
            <a href="\(base)?kind=issue&amp;status=open">\(summary.openIssues) open issue\(summary.openIssues == 1 ? "" : "s")</a> · \
            <a href="\(base)?flagged=1">\(summary.flagged) missing a required plan</a> · <a href="\(base)?overdue=1">\(summary.overdue) overdue</a> · \
            <a href="\(base)">the project register</a></p></section>
            """
    }

    static func organisation(_ view: ProgrammeService.OrganisationView, service: TrackingService, user: ActingUser) async throws -> HTML {
        let organisation = view.organisation
        let heat = try await service.heatMap(organisationCode: organisation.kind == .national ? nil : organisation.code, kind: .risk, as: user)
        let base = "/organisations/\(urlEncoded(organisation.code))/register"
        let chart = HeatMapChart(map: heat.map, link: { priority, controllability in
            "\(base)?kind=risk&status=open&priority=\(priority.rawValue)&controllability=\(controllability.rawValue)&below=1"
        }, compact: true)
        return """
            <section><h2>Risks</h2>
            <div class="heat-panel"><div class="chart-wrap">\(chart.render())</div>
            <p>\(heat.map.total) open risks below \(organisation.kind == .national ? "national" : organisation.name); \
            <a href="\(base)?kind=risk&amp;status=open&amp;flagged=1&amp;below=1">\(heat.map.flagged) missing their required plan</a>.<br>
            <a href="\(base)/heatmap">Heat map</a> · <a href="\(base)?overdue=1&amp;below=1">Overdue reviews and actions</a> · \
            <a href="\(base)">\(TrackingRules.holdsRegister(organisation.kind) ? "The \(organisation.kind.title) register" : "Risks and issues")</a></p></div>
            </section>
            """
    }
}
