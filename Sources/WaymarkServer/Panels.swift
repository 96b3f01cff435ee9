import WaymarkCore
import WaymarkService

/// Sections other areas add to the project and organisation pages, each built by its own
/// area so the pages stay small: the risk register, lessons, change control, documents and gates, the roll-out template, readiness, the Go Live policy and people.
enum Panels {
    static func project(_ view: ProgrammeService.ProjectView, service: ProgrammeService, user: ActingUser, csrfToken: String) async throws -> HTML {
        HTML([
            try await TrackingPanels.project(view, service: TrackingService(programme: service), user: user),
            try await LessonPanels.project(view, service: LessonService(programme: service), user: user),
            try await ChangeControlPanels.project(view, service: ChangeControlService(programme: service), user: user),
            try await DocumentPanels.project(view, service: GateService(programme: service), user: user),
            try await RollOutPanels.project(view, service: RollOutService(programme: service), user: user),
            try await GoLivePolicyPanels.project(view, service: GoLivePolicyService(programme: service), user: user, csrfToken: csrfToken),
            try await PeoplePanels.project(view, service: PeopleReadinessService(programme: service), user: user),
        ])
    }

    static func organisation(_ view: ProgrammeService.OrganisationView, service: ProgrammeService, user: ActingUser) async throws -> HTML {
        HTML([
            try await TrackingPanels.organisation(view, service: TrackingService(programme: service), user: user),
            try await LessonPanels.organisation(view, service: LessonService(programme: service), user: user),
            try await ChangeControlPanels.organisation(view, service: ChangeControlService(programme: service), user: user),
            try await DocumentPanels.organisation(view, service: GateService(programme: service), user: user),
            try await ReadinessPanels.organisation(view, service: SurveyService(programme: service), user: user),
            try await GoLivePolicyPanels.organisation(view, service: GoLivePolicyService(programme: service), user: user),
            try await PeoplePanels.organisation(view, service: PeopleReadinessService(programme: service), user: user),
        ])
    }
}
