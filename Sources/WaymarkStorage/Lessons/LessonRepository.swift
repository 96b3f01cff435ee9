import WaymarkCore

/// The Lessons Learned log (DOMAIN.md §7).
public protocol LessonRepository: Sendable {}

extension SQLStore {
    static func lessonLoadTables(_ dataset: ProgrammeDataset) -> [LoadTable] { [] }
}
