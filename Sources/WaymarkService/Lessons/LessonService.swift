import WaymarkCore
import WaymarkStorage

/// The Lessons Learned log: record, search, relevant lessons for a stage, promote to guidance.
/// Authorisation goes through `ProgrammeService`.
public struct LessonService: Sendable {
    public let programme: ProgrammeService
    var store: any WaymarkStore { programme.store }
    public init(programme: ProgrammeService) { self.programme = programme }
}
