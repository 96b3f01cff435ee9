/// Believable risks and issues for a generated programme (filled in below).
struct TrackingGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    func generate() -> [TrackingItem] { [] }
}
