import WaymarkCore
import WaymarkService

/// What the Lesson area shows on the project and organisation pages.
enum LessonPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: LessonService, user: ActingUser) async throws -> HTML { .empty }
    static func organisation(_ view: ProgrammeService.OrganisationView, service: LessonService, user: ActingUser) async throws -> HTML { .empty }
}
