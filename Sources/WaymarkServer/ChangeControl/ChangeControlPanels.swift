import WaymarkCore
import WaymarkService

/// What the ChangeControl area shows on the project and organisation pages.
enum ChangeControlPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: ChangeControlService, user: ActingUser) async throws -> HTML { .empty }
    static func organisation(_ view: ProgrammeService.OrganisationView, service: ChangeControlService, user: ActingUser) async throws -> HTML { .empty }
}
