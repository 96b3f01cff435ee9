import WaymarkCore
import WaymarkService

/// What the people area shows on organisation and project pages (issue 15): the registration
/// and training funnel, with links to its pages.
enum PeoplePanels {
    static func organisation(_ view: ProgrammeService.OrganisationView, service: PeopleReadinessService, user: ActingUser) async throws -> HTML {
        let code = view.organisation.code
        let funnel = try await service.funnel(organisationCode: code, as: user).1
        guard funnel.needing > 0 else { return .empty }
        return """
            <section aria-labelledby="people-heading">
            <h2 id="people-heading">Registration and training</h2>
            <p>\(funnel.summary)</p>
            <p><a href="\(PeoplePaths.readiness(code))">The funnel, lead times and RA kit</a> · <a href="\(PeoplePaths.forecast(code))">Sites that will not be ready</a> · \
            <a href="\(PeoplePaths.sessions(code))">Training sessions</a></p>
            </section>
            """
    }

    static func project(_ view: ProgrammeService.ProjectView, service: PeopleReadinessService, user: ActingUser) async throws -> HTML {
        let funnel = try await service.funnel(organisationCode: view.organisation.code, as: user).1
        let goLive = view.project.milestone(.goLiveCompleted)
        let chart: HTML = funnel.needing > 0 ? PeopleFunnelChart(funnel: funnel, id: "project-funnel", goLive: goLive?.baseline).render() : .empty
        return """
            <section aria-labelledby="people-heading">
            <h2 id="people-heading">Registration and training at \(view.organisation.name)</h2>
            \(goLive?.baseline.map { HTML("<p>Go-Live baseline \($0.iso).</p>") } ?? .empty)\(chart)
            <p>\(funnel.summary)</p>
            <p><a href="\(PeoplePaths.needs(view.project.code))">Training needs analysis</a> · <a href="\(PeoplePaths.readiness(view.organisation.code))">People readiness</a></p>
            </section>
            """
    }
}
