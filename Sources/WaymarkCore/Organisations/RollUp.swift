/// Milestone roll-up maths (no I/O): the store groups projects by (group, product, type,
/// achieved count, late mask) and this folds those few rows into per-milestone counts.
public struct RollUpRow: Hashable, Sendable {
    /// The child organisation the projects fall under, or nil for projects at the organisation itself.
    public var groupID: Int64?
    public var productCode: String
    public var type: ProjectType
    public var achievedCount: Int
    public var lateMask: Int
    public var projects: Int

    public init(groupID: Int64?, productCode: String, type: ProjectType, achievedCount: Int, lateMask: Int, projects: Int) {
        self.groupID = groupID
        self.productCode = productCode
        self.type = type
        self.achievedCount = achievedCount
        self.lateMask = lateMask
        self.projects = projects
    }
}

/// Counts for one (group, product) cell.
public struct RollUpCell: Hashable, Sendable, Codable {
    public var projects = 0
    /// Projects with no milestone achieved yet.
    public var notStarted = 0
    /// Projects with every milestone achieved.
    public var complete = 0
    /// Projects not complete with at least one open milestone forecast after its baseline.
    public var late = 0
    /// Of those late, how many have not started.
    public var lateNotStarted = 0
    /// Indexed by `MilestoneKind.index`.
    public var carrying = [Int](repeating: 0, count: 6)
    public var achieved = [Int](repeating: 0, count: 6)
    public var forecastLate = [Int](repeating: 0, count: 6)

    public init() {}

    public mutating func add(_ row: RollUpRow) {
        let kinds = row.type.mandatoryMilestones
        projects += row.projects
        if row.achievedCount == 0 { notStarted += row.projects }
        if row.achievedCount >= kinds.count { complete += row.projects }
        if row.lateMask != 0 && row.achievedCount < kinds.count {
            late += row.projects
            if row.achievedCount == 0 { lateNotStarted += row.projects }
        }
        for (position, kind) in kinds.enumerated() {
            carrying[kind.index] += row.projects
            if position < row.achievedCount { achieved[kind.index] += row.projects }
            if row.lateMask & (1 << kind.index) != 0 { forecastLate[kind.index] += row.projects }
        }
    }

    public mutating func add(_ other: RollUpCell) {
        projects += other.projects
        notStarted += other.notStarted
        complete += other.complete
        late += other.late
        lateNotStarted += other.lateNotStarted
        for i in 0..<6 {
            carrying[i] += other.carrying[i]
            achieved[i] += other.achieved[i]
            forecastLate[i] += other.forecastLate[i]
        }
    }

    /// Disjoint shares for charts: complete, late, started and on track, not started and on track.
    public var onTrackStarted: Int { projects - complete - late - (notStarted - lateNotStarted) }
    public var onTrackNotStarted: Int { notStarted - lateNotStarted }
    public func achieved(_ kind: MilestoneKind) -> Int { achieved[kind.index] }
    public func forecastLate(_ kind: MilestoneKind) -> Int { forecastLate[kind.index] }
    public func carrying(_ kind: MilestoneKind) -> Int { carrying[kind.index] }
}

public struct RollUpKey: Hashable, Sendable {
    public var groupID: Int64?
    public var productCode: String
}

public enum RollUpMaths {
    public static func fold(_ rows: [RollUpRow]) -> [RollUpKey: RollUpCell] {
        var cells: [RollUpKey: RollUpCell] = [:]
        for row in rows {
            cells[RollUpKey(groupID: row.groupID, productCode: row.productCode), default: RollUpCell()].add(row)
        }
        return cells
    }
}
