import WaymarkCore
import WaymarkService

/// What the Tracking area shows on the project and organisation pages.
enum TrackingPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: TrackingService, user: ActingUser) async throws -> HTML { .empty }
    static func organisation(_ view: ProgrammeService.OrganisationView, service: TrackingService, user: ActingUser) async throws -> HTML { .empty }
}
