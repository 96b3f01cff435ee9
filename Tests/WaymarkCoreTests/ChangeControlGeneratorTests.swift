import Testing
import WaymarkCore

@Suite("Change control: generated boards, CCNs and DIPs")
struct ChangeControlGeneratorTests {
    static let dataset: ProgrammeDataset = {
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        return generator.generate()
    }()
    static var records: ChangeControlRecords { dataset.changeControl }

    @Test func generationIsDeterministic() {
        var again = ProgrammeGenerator(scale: .demo, today: today)
        #expect(again.generate().changeControl == Self.records)
    }

    @Test("every cluster has a board with meetings; the demo users' cluster seats demo-cluster and demo-npo but not demo-sha")
    func boards() throws {
        let clusters = Self.dataset.organisations.filter { $0.kind == .cluster }
        #expect(Self.records.boards.map(\.clusterID) == clusters.map(\.id))
        let demoCluster = try #require(Self.dataset.projects.first { $0.type == .lsp }?.ancestry.clusterID)
        for board in Self.records.boards {
            #expect(board.meetings.count == 12 && board.meetings.allSatisfy { $0.heldOn <= today && $0.heldOn.weekday == 1 })
            #expect(board.isMember("demo-npo") == (board.clusterID == demoCluster))
            #expect(board.isMember("demo-cluster") == (board.clusterID == demoCluster))
            #expect(!board.isMember("demo-sha"))
        }
    }

    @Test("notes are numbered per cluster, valid, in every state, and every trust's first LSP project has a note of its own")
    func notes() {
        let notes = Self.records.notes
        #expect(Set(notes.map(\.state)) == Set(ChangeState.allCases))
        #expect(notes.map(\.id) == (1...Int64(notes.count)).map { $0 })
        for cluster in Self.dataset.organisations where cluster.kind == .cluster {
            #expect(notes.filter { $0.clusterID == cluster.id }.map(\.number) == Array(1...notes.filter { $0.clusterID == cluster.id }.count))
        }
        for note in notes {
            #expect(ChangeRules.validate(note).isEmpty, "\(note.reference)")
            if note.state != .raised && note.state != .underAssessment { #expect(note.missingAssessments.isEmpty, "\(note.reference)") }
            #expect(note.anchors.allSatisfy { $0.ancestry.clusterID == note.clusterID }, "\(note.reference) stays in its cluster")
        }
        var firstOfTrust: [Int64: Int64] = [:]
        let lsps = Dictionary(Self.dataset.contracts.filter { $0.depth == 1 }.map { ($0.organisationID, $0.supplierID) }, uniquingKeysWith: { a, _ in a })
        for project in Self.dataset.projects where project.supplierID == project.ancestry.clusterID.flatMap({ lsps[$0] }) {
            if let trust = project.ancestry.trustID, firstOfTrust[trust] == nil { firstOfTrust[trust] = project.id }
        }
        for projectID in firstOfTrust.values {
            #expect(notes.contains { $0.projects.map(\.id) == [projectID] && $0.dipLines.isEmpty })
        }
    }

    @Test("decisions belong to decided notes at their cluster's meetings; approvals' history ends at today's baselines")
    func decisionsAndHistory() throws {
        let notes = Dictionary(uniqueKeysWithValues: Self.records.notes.map { ($0.id, $0) })
        let meetings = Dictionary(uniqueKeysWithValues: Self.records.boards.flatMap(\.meetings).map { ($0.id, $0) })
        for decision in Self.records.decisions {
            let note = try #require(notes[decision.ccnID])
            #expect(note.state == decision.outcome.state || (note.state == .implemented && decision.outcome == .approved))
            #expect(meetings[decision.meetingID]?.clusterID == note.clusterID && decision.decidedOn >= note.raisedOn)
        }
        let decided = Set(Self.records.decisions.map(\.ccnID))
        #expect(Self.records.notes.filter { $0.state.isDecision || $0.state == .implemented }.allSatisfy { decided.contains($0.id) })
        let projects = Dictionary(uniqueKeysWithValues: Self.dataset.projects.map { ($0.id, $0) })
        #expect(!Self.records.baselineChanges.isEmpty)
        for change in Self.records.baselineChanges {
            let note = try #require(notes[change.ccnID])
            #expect(note.state.authorisesChange && change.ccnReference == note.reference)
            #expect(projects[change.projectID]?.milestone(change.kind)?.baseline == change.to && change.from != change.to)
        }
    }

    @Test("one agreed DIP per LSP per cluster for last and this financial year, lines due in the year and linked to their projects")
    func dips() throws {
        let year = FinancialYear(containing: today)
        let dips = Self.records.dips
        #expect(dips.count == 2 * Self.dataset.organisations.filter { $0.kind == .cluster }.count)
        #expect(Set(dips.map(\.year)) == [FinancialYear(startYear: year.startYear - 1), year])
        #expect(Set(dips.map { "\($0.supplierID)/\($0.clusterID)/\($0.year.startYear)" }).count == dips.count)
        let projects = Dictionary(uniqueKeysWithValues: Self.dataset.projects.map { ($0.id, $0) })
        for dip in dips {
            #expect(dip.state == .agreed && !dip.lines.isEmpty)
            for line in dip.lines {
                #expect(dip.year.contains(line.dueDate) && DIPRules.validate(line, in: dip.year).isEmpty)
                let project = try #require(projects[line.projects.first?.id ?? 0])
                #expect(project.supplierID == dip.supplierID && project.productCode == line.productCode
                        && project.milestone(.goLiveCompleted)?.baseline == line.dueDate)
            }
        }
        #expect(Set(dips.flatMap { $0.lines.map(\.id) }).count == dips.reduce(0) { $0 + $1.lines.count }, "line ids are unique")
        // Lines an approved CCN changed name it, and the CCN names them.
        for line in dips.flatMap(\.lines) where line.ccnID != nil {
            let note = try #require(Self.records.notes.first { $0.id == line.ccnID })
            #expect(note.state == .approved && note.covers(dipID: line.dipID, lineNumber: line.number))
        }
    }
}
