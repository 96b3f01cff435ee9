import Testing
import WaymarkCore

@Suite("Roll-up maths")
struct RollUpTests {
    static let lspRows = [
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 0, lateMask: 0, projects: 3),
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 0, lateMask: 0b000001, projects: 2),
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 2, lateMask: 0b000100, projects: 5),
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 3, lateMask: 0, projects: 4),
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 6, lateMask: 0, projects: 7),
        RollUpRow(groupID: 10, productCode: "CRS", type: .lsp, achievedCount: 4, lateMask: 0b110000, projects: 1),
    ]

    static let espRows = [
        RollUpRow(groupID: 10, productCode: "CAB", type: .esp, achievedCount: 0, lateMask: 0, projects: 4),
        RollUpRow(groupID: 10, productCode: "CAB", type: .esp, achievedCount: 1, lateMask: 1 << 4, projects: 3),
        RollUpRow(groupID: 10, productCode: "CAB", type: .esp, achievedCount: 2, lateMask: 0, projects: 6),
        RollUpRow(groupID: 10, productCode: "CAB", type: .esp, achievedCount: 0, lateMask: 1 << 1, projects: 1),
    ]

    /// RollUpKey has no public initialiser (only the store builds keys), so cells are looked up by content.
    static func cell(_ cells: [RollUpKey: RollUpCell], _ group: Int64?, _ product: String) throws -> RollUpCell {
        try #require(cells.first { $0.key.groupID == group && $0.key.productCode == product }?.value)
    }

    static func name(_ group: Int64?, _ product: String) -> String { "\(group.map(String.init) ?? "-")/\(product)" }

    static func byName(_ cells: [RollUpKey: RollUpCell]) -> [String: RollUpCell] {
        Dictionary(uniqueKeysWithValues: cells.map { (name($0.key.groupID, $0.key.productCode), $0.value) })
    }

    static func expectPartition(_ cell: RollUpCell, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cell.onTrackStarted + cell.onTrackNotStarted + cell.complete + cell.late == cell.projects,
                sourceLocation: sourceLocation)
        #expect(cell.onTrackStarted >= 0 && cell.onTrackNotStarted >= 0 && cell.complete >= 0 && cell.late >= 0,
                "shares are disjoint, so none is negative", sourceLocation: sourceLocation)
        #expect(cell.lateNotStarted <= cell.late && cell.lateNotStarted <= cell.notStarted, sourceLocation: sourceLocation)
    }

    @Test func lspRowsFold() throws {
        let cells = RollUpMaths.fold(Self.lspRows)
        #expect(cells.count == 1)
        let cell = try Self.cell(cells, 10, "CRS")
        #expect(cell.projects == 22)
        #expect(cell.notStarted == 5)
        #expect(cell.complete == 7)
        #expect(cell.late == 8)                 // 2 + 5 + 1
        #expect(cell.lateNotStarted == 2)
        #expect(cell.carrying == [22, 22, 22, 22, 22, 22])
        #expect(cell.achieved == [17, 17, 12, 8, 7, 7])
        #expect(cell.forecastLate == [2, 0, 5, 0, 1, 1])
        #expect(cell.onTrackStarted == 4)
        #expect(cell.onTrackNotStarted == 3)
        #expect(cell.achieved(.localDesignCompleted) == 12)
        #expect(cell.forecastLate(.localDesignCompleted) == 5)
        #expect(cell.carrying(.implementationCompleted) == 22)
        Self.expectPartition(cell)
    }

    @Test func espRowsFoldIntoTheirTwoMilestones() throws {
        let cell = try Self.cell(RollUpMaths.fold(Self.espRows), 10, "CAB")
        #expect(cell.projects == 14)
        #expect(cell.notStarted == 5)
        #expect(cell.complete == 6)
        #expect(cell.late == 4)
        #expect(cell.lateNotStarted == 1)
        #expect(cell.carrying == [0, 14, 0, 0, 14, 0])
        #expect(cell.achieved == [0, 9, 0, 0, 6, 0])
        #expect(cell.forecastLate == [0, 1, 0, 0, 3, 0])
        #expect(cell.achieved(.initiationCompleted) == 9)
        #expect(cell.achieved(.goLiveCompleted) == 6)
        #expect(cell.onTrackStarted == 0)
        #expect(cell.onTrackNotStarted == 4)
        Self.expectPartition(cell)
    }

    @Test func rowsAreKeyedByGroupAndProductAndMixTypes() throws {
        let rows = Self.lspRows + Self.espRows + [
            RollUpRow(groupID: nil, productCode: "CRS", type: .lsp, achievedCount: 1, lateMask: 0, projects: 2),
            RollUpRow(groupID: 11, productCode: "CRS", type: .lsp, achievedCount: 6, lateMask: 0, projects: 1),
            // The same product delivered both ways in one group lands in one cell.
            RollUpRow(groupID: 10, productCode: "CAB", type: .lsp, achievedCount: 6, lateMask: 0, projects: 2),
        ]
        let cells = RollUpMaths.fold(rows)
        #expect(Set(Self.byName(cells).keys) == ["10/CRS", "10/CAB", "-/CRS", "11/CRS"])
        #expect(try Self.cell(cells, 10, "CRS") == Self.cell(RollUpMaths.fold(Self.lspRows), 10, "CRS"))
        let own = try Self.cell(cells, nil, "CRS")
        #expect(own.projects == 2 && own.notStarted == 0 && own.complete == 0 && own.onTrackStarted == 2)
        #expect(own.achieved == [2, 0, 0, 0, 0, 0])
        let mixed = try Self.cell(cells, 10, "CAB")
        #expect(mixed.projects == 16)
        #expect(mixed.complete == 8)
        #expect(mixed.carrying == [2, 16, 2, 2, 16, 2])
        #expect(mixed.achieved == [2, 11, 2, 2, 8, 2])
        for cell in cells.values { Self.expectPartition(cell) }
    }

    @Test func addingCellsEqualsFoldingAllRows() throws {
        let groupA = Self.lspRows
        let groupB = Self.lspRows.map { row -> RollUpRow in
            var copy = row
            copy.groupID = 20
            copy.projects *= 3
            return copy
        }
        var total = try Self.cell(RollUpMaths.fold(groupA), 10, "CRS")
        total.add(try Self.cell(RollUpMaths.fold(groupB), 20, "CRS"))
        let merged = (groupA + groupB).map { row -> RollUpRow in
            var copy = row
            copy.groupID = nil
            return copy
        }
        #expect(total == (try Self.cell(RollUpMaths.fold(merged), nil, "CRS")))
        #expect(total.projects == 22 * 4)
        Self.expectPartition(total)
    }

    @Test func emptyInputFoldsToNothing() {
        #expect(RollUpMaths.fold([]).isEmpty)
        let empty = RollUpCell()
        #expect(empty.projects == 0 && empty.carrying == Array(repeating: 0, count: 6))
        Self.expectPartition(empty)
    }

    // MARK: Cross-check against generated projects

    static let dataset: ProgrammeDataset = {
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        return generator.generate()
    }()

    enum Grouping: String, CaseIterable, Sendable {
        case cluster, sha, trust, none
        func groupID(_ project: ImplementationProject) -> Int64? {
            switch self {
            case .cluster: project.ancestry.clusterID
            case .sha: project.ancestry.shaID
            case .trust: project.ancestry.trustID
            case .none: nil
            }
        }
    }

    /// What the store does: group projects by (group, product, type, achieved count, late mask).
    static func rows(_ projects: [ImplementationProject], _ grouping: Grouping) -> [RollUpRow] {
        struct Key: Hashable {
            var group: Int64?, product: String, type: ProjectType, achieved: Int, mask: Int
        }
        var counts: [Key: Int] = [:]
        for p in projects {
            counts[Key(group: grouping.groupID(p), product: p.productCode, type: p.type,
                       achieved: p.achievedCount, mask: p.lateMask), default: 0] += 1
        }
        return counts.map {
            RollUpRow(groupID: $0.key.group, productCode: $0.key.product, type: $0.key.type,
                      achievedCount: $0.key.achieved, lateMask: $0.key.mask, projects: $0.value)
        }
    }

    /// The same counts, straight from the milestones, without rows or masks.
    static func direct(_ projects: [ImplementationProject], _ grouping: Grouping) -> [String: RollUpCell] {
        var cells: [String: RollUpCell] = [:]
        for p in projects {
            let key = name(grouping.groupID(p), p.productCode)
            var cell = cells[key] ?? RollUpCell()
            let started = p.milestones.contains(where: \.isAchieved)
            let complete = p.milestones.allSatisfy(\.isAchieved)
            let late = !complete && p.milestones.contains(where: \.isForecastLate)
            cell.projects += 1
            if !started { cell.notStarted += 1 }
            if complete { cell.complete += 1 }
            if late { cell.late += 1 }
            if late && !started { cell.lateNotStarted += 1 }
            for m in p.milestones {
                let i = MilestoneKind.allCases.firstIndex(of: m.kind)!
                cell.carrying[i] += 1
                if m.isAchieved { cell.achieved[i] += 1 }
                if m.isForecastLate { cell.forecastLate[i] += 1 }
            }
            cells[key] = cell
        }
        return cells
    }

    @Test(arguments: Grouping.allCases)
    func foldMatchesDirectCountsOverGeneratedProjects(grouping: Grouping) {
        let projects = Self.dataset.projects
        let rows = Self.rows(projects, grouping)
        #expect(rows.count < projects.count, "rows compress projects")
        #expect(rows.reduce(0) { $0 + $1.projects } == projects.count)
        let folded = Self.byName(RollUpMaths.fold(rows))
        let direct = Self.direct(projects, grouping)
        #expect(Set(folded.keys) == Set(direct.keys))
        var mismatches: [String] = []
        for (key, expected) in direct where folded[key] != expected {
            mismatches.append(key)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        for cell in folded.values { Self.expectPartition(cell) }

        var total = RollUpCell()
        for cell in folded.values { total.add(cell) }
        #expect(total.projects == projects.count)
        #expect(total.complete == projects.filter(\.isComplete).count)
        // The demo data exercises every share, so the cross-check is not vacuous.
        #expect(total.complete > 0 && total.late > 0 && total.lateNotStarted > 0)
        #expect(total.onTrackStarted > 0 && total.onTrackNotStarted > 0)
        #expect(total.carrying[0] < total.carrying[1], "ESP projects carry Initiation Completed but not Initiation Commenced")
    }
}
