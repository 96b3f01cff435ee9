/// The six NSI stages (DOMAIN.md §5).
public enum NSIStage: Int, CaseIterable, Sendable, Codable, Comparable {
    case prepare = 0, initiate, localDesign, prepareForGoLive, goLive, support

    public var title: String {
        switch self {
        case .prepare: "0 Prepare for Implementation"
        case .initiate: "1 Initiate"
        case .localDesign: "2 Local Design"
        case .prepareForGoLive: "3 Prepare for Go Live"
        case .goLive: "4 Go Live"
        case .support: "5 Support"
        }
    }

    /// The stage a project is in follows from the last milestone it achieved: each milestone
    /// closes the stage of the same number, so the project is in the next one. With nothing
    /// achieved it is in stage 0; after Implementation Completed it stays in stage 5, closed.
    /// An ESP project, with only two milestones, moves 0 -> 2 -> 5.
    public static func current(for milestones: [Milestone]) -> NSIStage {
        guard let last = milestones.filter(\.isAchieved).map(\.kind).max() else { return .prepare }
        return NSIStage(rawValue: min(last.stageExited + 1, 5))!
    }

    public static func < (lhs: NSIStage, rhs: NSIStage) -> Bool { lhs.rawValue < rhs.rawValue }
}
