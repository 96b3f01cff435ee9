import WaymarkCore

extension SQLStore {
    /// The change control tables a seed fills, parents before children.
    static func changeControlLoadTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        let records = dataset.changeControl
        var members: [[SQLValue]] = []
        var meetings: [[SQLValue]] = []
        for board in records.boards {
            members += board.members.map { [.integer(board.clusterID), .text($0.username), .text($0.name), .text($0.representing)] }
            meetings += board.meetings.map { [.integer($0.id), .integer($0.clusterID), .integer(Int64($0.heldOn.ordinal)), .text($0.minutes)] }
        }
        var lines: [[SQLValue]] = []
        var lineProjects: [[SQLValue]] = []
        for dip in records.dips {
            for line in dip.lines {
                lines.append(dipLineValues(line, supplierID: dip.supplierID, year: dip.year))
                lineProjects += line.projects.map { [.integer(line.id), .integer($0.id)] }
            }
        }
        var positions: [Int64: Int] = [:]
        let decisions = records.decisions.map { decision -> [SQLValue] in
            positions[decision.ccnID, default: 0] += 1
            return decisionValues(decision, position: positions[decision.ccnID]!)
        }
        return [
            ("change_board_member", ["cluster_id", "username", "name", "representing"], members),
            ("change_board_meeting", ["id", "cluster_id", "held_on", "minutes"], meetings),
            ("dip", dipColumns, records.dips.map(dipValues)),
            ("dip_line", dipLineColumns, lines),
            ("dip_line_project", ["line_id", "project_id"], lineProjects),
            ("ccn", ccnColumns, records.notes.map(ccnValues)),
        ] + ccnChildTables(records.notes) + [
            ("ccn_decision", decisionColumns, decisions),
            ("baseline_change", baselineChangeColumns, records.baselineChanges.map(baselineChangeValues)),
        ]
    }
}
