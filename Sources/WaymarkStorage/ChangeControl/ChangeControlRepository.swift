import WaymarkCore

/// Change control and the Detailed Implementation Plan (DOMAIN.md §8).
public protocol ChangeControlRepository: Sendable {}

extension SQLStore {
    static func changeControlLoadTables(_ dataset: ProgrammeDataset) -> [LoadTable] { [] }
}
