import WaymarkCore
import WaymarkStorage

/// The risk and issue registers: record, escalate, convert, heat map, overdue, CSV.
/// Authorisation goes through `ProgrammeService`.
public struct TrackingService: Sendable {
    public let programme: ProgrammeService
    var store: any WaymarkStore { programme.store }
    public init(programme: ProgrammeService) { self.programme = programme }
}
