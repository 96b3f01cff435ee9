import WaymarkCore
import WaymarkStorage

/// Change control (CCNs through the Change Review Board, re-baselining) and the Detailed
/// Implementation Plan. Authorisation goes through `ProgrammeService`.
public struct ChangeControlService: Sendable {
    public let programme: ProgrammeService
    var store: any WaymarkStore { programme.store }
    public init(programme: ProgrammeService) { self.programme = programme }
}
