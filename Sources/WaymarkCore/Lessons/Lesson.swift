/// A lesson learned (DOMAIN.md §7). To be filled in by the lessons work.
public struct Lesson: Hashable, Sendable {
    public init() {}
}

/// Believable lessons for a generated programme.
struct LessonGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    func generate() -> [Lesson] { [] }
}
