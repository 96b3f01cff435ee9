import WaymarkCore
import WaymarkService

/// What the roll-out area shows on a project page: the template and wave it came from, and
/// where it now departs from that template. Nothing for a project made by hand.
enum RollOutPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: RollOutService, user: ActingUser) async throws -> HTML {
        guard let link = try await service.deviations(of: view.project, as: user) else { return .empty }
        let t = link.template
        let tables = DeviationTables(report: link.report, showProject: false)
        let plan = t.planTasks.isEmpty ? "" : link.report.withoutPlan > 0 ? " It has no plan yet to compare with the template's skeleton." : ""
        return """
            <section aria-labelledby="template-heading">
            <h2 id="template-heading">Roll-out template</h2>
            <p>Rolled out from <a href="/rollout/\(urlEncoded(t.code))">\(t.name) (\(t.code) version \(t.version))</a>, wave \(link.wave), starting \(link.waveStart.iso).\(plan)</p>
            \(link.report.isEmpty ? HTML("<p>It has not departed from the template.</p>") : tables.render())
            </section>
            """
    }
}
