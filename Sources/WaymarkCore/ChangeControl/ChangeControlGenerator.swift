/// Believable change control for a generated programme.
struct ChangeControlGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    func generate() -> ChangeControlRecords { ChangeControlRecords() }
}
