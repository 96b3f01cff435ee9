/// Change Review Boards, Change Control Notes and DIPs as generated or loaded (DOMAIN.md §8).
/// To be filled in by the change-control work.
public struct ChangeControlRecords: Hashable, Sendable {
    public init() {}
}

/// Believable change control for a generated programme.
struct ChangeControlGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    func generate() -> ChangeControlRecords { ChangeControlRecords() }
}
