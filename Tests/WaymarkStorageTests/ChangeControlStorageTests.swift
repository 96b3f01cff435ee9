import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

/// Places and records the change control contract tests share.
enum ChangeFixture {
    static let cluster = Fixture.organisation(.cluster)
    static let otherCluster = Fixture.organisation(.cluster, 1)
    static let lsp = Fixture.dataset.organisations.first { $0.kind == .supplier && $0.supplierRole == .lsp }!

    /// LSP projects in `cluster` with nothing achieved yet, delivered by its LSP.
    static func openProjects(in cluster: Organisation) -> [ImplementationProject] {
        Fixture.dataset.projects.filter { $0.ancestry.clusterID == cluster.id && $0.type == .lsp && $0.achievedCount == 0 }
    }

    static func audit(_ action: String, _ type: String = "ccn", _ id: Int64 = 0) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00.000Z", actor: "contract test", origin: "tests", action: action, entityType: type,
                    entityID: id, before: nil, after: "{}")
    }

    static func note(in cluster: Organisation, projects: [ImplementationProject] = [], state: ChangeState = .raised,
                     moving milestones: [(ImplementationProject, MilestoneKind, Day)] = []) -> ChangeControlNote {
        ChangeControlNote(
            clusterID: cluster.id, clusterCode: cluster.code, type: .technical, title: "Re-phase go-live", description: "Four weeks later.",
            reason: "Data migration is late.", impact: ChangeImpact(risk: "Low", cost: "None", costPounds: 0, time: "Four weeks", timeWorkingDays: 20),
            projects: projects.map(AffectedProject.init),
            milestones: milestones.map { AffectedMilestone(projectID: $0.0.id, projectCode: $0.0.code, kind: $0.1, proposedBaseline: $0.2) },
            assessments: [ChangeAssessment(discipline: .quality, assessor: "Q. Lead", recommendation: "Accept", recordedOn: Fixture.today)],
            state: state, raisedBy: "contract test", raisedOn: Fixture.today, raisedAt: cluster.id, raisedAtAnchor: ChangeAnchor(cluster))
    }
}

@Suite("Storage contract: Change Control Notes and re-baselining")
struct ChangeControlStorageTests {
    @Test("a note is saved whole, numbered in its cluster, read back, updated at its version, and audited", arguments: Backend.testable)
    func saveAndRead(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let projects = Array(ChangeFixture.openProjects(in: ChangeFixture.cluster).prefix(2))
            let goLive = try #require(projects[0].milestone(.goLiveCompleted)?.baseline)
            var note = ChangeFixture.note(in: ChangeFixture.cluster, projects: projects, moving: [(projects[0], .goLiveCompleted, goLive.adding(days: 28))])
            note.dipLines = [AffectedDIPLine(dipID: 77, lineNumber: 3, proposedDue: goLive, anchor: ChangeAnchor(ChangeFixture.cluster))]
            let existing = Fixture.dataset.changeControl.notes.filter { $0.clusterID == ChangeFixture.cluster.id }.map(\.number).max() ?? 0
            let saved = try await store.saveChangeNote(note, expectedVersion: nil, audit: ChangeFixture.audit("raise"))
            #expect(saved.number == existing + 1 && saved.version == 1 && saved.id > 0)
            #expect(saved.reference == ChangeControlNote.reference(clusterCode: ChangeFixture.cluster.code, number: existing + 1))
            let read = try #require(try await store.changeNote(id: saved.id, scope: .national))
            #expect(read == saved)

            let second = try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.cluster), expectedVersion: nil, audit: ChangeFixture.audit("raise"))
            #expect(second.number == saved.number + 1 && second.id == saved.id + 1)
            let elsewhere = try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.otherCluster), expectedVersion: nil,
                                                           audit: ChangeFixture.audit("raise"))
            #expect(elsewhere.clusterCode == ChangeFixture.otherCluster.code)

            var changed = read
            changed.state = .underAssessment
            changed.projects = [AffectedProject(projects[1])]
            changed.milestones = []
            changed.assessments.append(ChangeAssessment(discipline: .commercial, assessor: "C. Manager", recommendation: "No cost", recordedOn: Fixture.today))
            let updated = try await store.saveChangeNote(changed, expectedVersion: 1, audit: ChangeFixture.audit("assess", "ccn", saved.id))
            #expect(updated.version == 2)
            let reread = try #require(try await store.changeNote(id: saved.id, scope: .national))
            #expect(reread == updated, "children are replaced, not added to")
            #expect(reread.assessments.map(\.discipline) == [.commercial, .quality])

            let stale = await storageError { _ = try await store.saveChangeNote(changed, expectedVersion: 1, audit: ChangeFixture.audit("assess")) }
            #expect(stale?.code == .conflict)
            #expect(try await store.changeNote(id: saved.id, scope: .national) == updated, "a stale save changes nothing")
            let trail = try await store.auditEntries(AuditQuery(entityType: "ccn", entityID: saved.id)).items
            #expect(trail.map(\.action) == ["assess", "raise"])
        }
    }

    @Test("notes are scoped in SQL: a cluster sees its own, lower levels and suppliers what touches them", arguments: Backend.testable)
    func scope(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let project = try #require(ChangeFixture.openProjects(in: ChangeFixture.cluster).first)
            let about = try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.cluster, projects: [project]), expectedVersion: nil,
                                                       audit: ChangeFixture.audit("raise"))
            let general = try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.cluster), expectedVersion: nil, audit: ChangeFixture.audit("raise"))
            let trust = try #require(project.ancestry.trustID)
            let otherTrust = try #require(Fixture.dataset.organisations.first {
                $0.kind == .trust && $0.ancestry.clusterID == ChangeFixture.cluster.id && $0.id != trust })
            let supplier = try #require(project.supplierID)
            let otherSupplier = try #require(Fixture.dataset.organisations.first { $0.kind == .supplier && $0.id != supplier })
            let cases: [(AccessScope, Bool, Bool)] = [
                (.national, true, true),
                (.subtree(kind: .cluster, id: ChangeFixture.cluster.id), true, true),
                (.subtree(kind: .cluster, id: ChangeFixture.otherCluster.id), false, false),
                (.subtree(kind: .sha, id: project.ancestry.shaID!), true, false),
                (.subtree(kind: .trust, id: trust), true, false),
                (.subtree(kind: .trust, id: otherTrust.id), false, false),
                (.subtree(kind: .site, id: project.organisationID), true, false),
                (.supplier(id: supplier), true, false),
                (.supplier(id: otherSupplier.id), false, false),
            ]
            for (scope, seesAbout, seesGeneral) in cases {
                #expect((try await store.changeNote(id: about.id, scope: scope) != nil) == seesAbout, "\(scope)")
                #expect((try await store.changeNote(id: general.id, scope: scope) != nil) == seesGeneral, "\(scope)")
                let listed = try await store.changeNotes(ChangeNoteQuery(scope: scope, limit: 500)).items.map(\.id)
                #expect(listed.contains(about.id) == seesAbout && listed.contains(general.id) == seesGeneral, "\(scope) list")
            }
            // Lists filter by place and state, and count by state, still within scope.
            let site = try #require(Fixture.organisationsByID[project.organisationID])
            let atSite = try await store.changeNotes(ChangeNoteQuery(scope: .national, within: site)).items.map(\.id)
            #expect(atSite.contains(about.id) && !atSite.contains(general.id))
            let raised = try await store.changeNotes(ChangeNoteQuery(scope: .national, within: ChangeFixture.cluster, state: .raised, limit: 500)).items
            #expect(raised.allSatisfy { $0.state == .raised && $0.clusterID == ChangeFixture.cluster.id })
            #expect(raised.map(\.id).contains(general.id))
            let counts = try await store.changeNoteCounts(ChangeNoteQuery(scope: .subtree(kind: .trust, id: trust)))
            let generated = Fixture.dataset.changeControl.notes.filter { $0.anchors.contains { $0.ancestry.trustID == trust } }.count
            #expect(counts.values.reduce(0, +) == generated + 1)
            #expect(try await store.changeNotes(ChangeNoteQuery(scope: nil)).items.isEmpty, "no scope, no notes")
        }
    }

    @Test("approval re-baselines in the same transaction: project version, derived columns, history and audit", arguments: Backend.testable)
    func approvalRebaselines(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let (project, note, meeting) = try await Self.atBoard(store)
            let moved = try #require(project.milestone(.goLiveCompleted)?.baseline).adding(days: 28)
            var approved = note
            approved.state = .approved
            let (rebaselined, changes) = try #require(ChangeRules.rebaseline(project, by: note, on: Fixture.today))
            let decision = BoardDecision(ccnID: note.id, meetingID: meeting.id, outcome: .approved, reason: "Agreed", decidedBy: "member",
                                         decidedOn: Fixture.today)
            try await store.recordDecision(DecisionChange(decision: decision, note: approved, expectedVersion: note.version,
                                                          projects: [(rebaselined, project.version)], baselineChanges: changes),
                                           audits: [ChangeFixture.audit("approve", "ccn", note.id), ChangeFixture.audit("re-baseline", "project", project.id)])
            let read = try #require(try await store.project(code: project.code, scope: .national)).project
            #expect(read.milestone(.goLiveCompleted)?.baseline == moved)
            #expect(read.version == project.version + 1)
            #expect(try await store.changeNote(id: note.id, scope: .national)?.state == .approved)
            #expect(try await store.changeNote(id: note.id, scope: .national)?.version == note.version + 1)
            #expect(try await store.decisions(ccnID: note.id) == [decision])
            let history = try await store.baselineHistory(projectID: project.id)
            #expect(history == changes)
            #expect(history.first?.from == project.milestone(.goLiveCompleted)?.baseline && history.first?.ccnReference == note.reference)
            let listed = try await store.boardDecisions(clusterID: ChangeFixture.cluster.id, scope: .national, limit: 10)
            #expect(listed.first == DecisionListing(decision: decision, reference: note.reference, title: note.title))
            #expect(try await store.boardDecisions(clusterID: ChangeFixture.cluster.id, scope: .subtree(kind: .cluster, id: ChangeFixture.otherCluster.id),
                                                   limit: 10).isEmpty)
            #expect(try await store.auditEntries(AuditQuery(entityType: "project", entityID: project.id)).items.map(\.action) == ["re-baseline"])
        }
    }

    @Test("a decision that fails (a stale project) changes nothing: no state, decision, baseline, history or audit", arguments: Backend.testable)
    func failedDecisionChangesNothing(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let (project, note, meeting) = try await Self.atBoard(store)
            func counts() async throws -> [String: Int64] {
                var counts = try await scratch.counts()
                for table in ["ccn_decision", "baseline_change", "ccn"] { counts[table] = try await scratch.count(table) }
                return counts
            }
            let before = try await counts()
            var approved = note
            approved.state = .approved
            let (rebaselined, changes) = try #require(ChangeRules.rebaseline(project, by: note, on: Fixture.today))
            let decision = BoardDecision(ccnID: note.id, meetingID: meeting.id, outcome: .approved, reason: "Agreed", decidedBy: "member",
                                         decidedOn: Fixture.today)
            for (noteVersion, projectVersion) in [(note.version, project.version + 5), (note.version + 1, project.version)] {
                let error = await storageError {
                    try await store.recordDecision(DecisionChange(decision: decision, note: approved, expectedVersion: noteVersion,
                                                                  projects: [(rebaselined, projectVersion)], baselineChanges: changes),
                                                   audits: [ChangeFixture.audit("approve", "ccn", note.id)])
                }
                #expect(error?.code == .conflict)
            }
            #expect(try await counts() == before)
            #expect(try await store.project(code: project.code, scope: .national)?.project == project)
            #expect(try await store.changeNote(id: note.id, scope: .national) == note)
            #expect(try await store.baselineHistory(projectID: project.id).isEmpty)
        }
    }

    /// A note at the board proposing a four-week later go-live for an open project, and a meeting.
    static func atBoard(_ store: SQLStore) async throws -> (ImplementationProject, ChangeControlNote, BoardMeeting) {
        let project = try #require(ChangeFixture.openProjects(in: ChangeFixture.cluster).first { p in
            !Fixture.dataset.changeControl.baselineChanges.contains { $0.projectID == p.id } })
        let goLive = try #require(project.milestone(.goLiveCompleted)?.baseline)
        let note = try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.cluster, projects: [project], state: .atBoard,
                                                                     moving: [(project, .goLiveCompleted, goLive.adding(days: 28))]),
                                                  expectedVersion: nil, audit: ChangeFixture.audit("raise"))
        let meeting = try await store.addBoardMeeting(BoardMeeting(clusterID: ChangeFixture.cluster.id, heldOn: Fixture.today, minutes: "Monthly board"),
                                                      audit: ChangeFixture.audit("meeting", "organisation", ChangeFixture.cluster.id))
        return (project, note, meeting)
    }

    @Test("board members are added, updated and removed by username; meetings are kept newest first", arguments: Backend.testable)
    func board(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let cluster = ChangeFixture.otherCluster.id
            let before = try await store.changeBoard(clusterID: cluster)
            let member = BoardMember(username: "board-test", name: "Board Tester", representing: "Quality")
            try await store.saveBoardMember(member, clusterID: cluster, audit: ChangeFixture.audit("add member", "organisation", cluster))
            try await store.saveBoardMember(BoardMember(username: "board-test", name: "Board Tester", representing: "Commercial"), clusterID: cluster,
                                            audit: ChangeFixture.audit("update member", "organisation", cluster))
            var board = try await store.changeBoard(clusterID: cluster)
            #expect(board.members.count == before.members.count + 1)
            #expect(board.members.first { $0.username == "board-test" }?.representing == "Commercial")
            let firstBoard = try await store.changeBoard(clusterID: ChangeFixture.cluster.id)
            #expect(board.isMember("board-test") && !firstBoard.isMember("board-test"))
            try await store.removeBoardMember(username: "board-test", clusterID: cluster, audit: ChangeFixture.audit("remove", "organisation", cluster))
            let missing = await storageError {
                try await store.removeBoardMember(username: "board-test", clusterID: cluster, audit: ChangeFixture.audit("remove", "organisation", cluster))
            }
            #expect(missing?.code == .notFound)
            let early = try await store.addBoardMeeting(BoardMeeting(clusterID: cluster, heldOn: Day(iso: "2030-01-05")!, minutes: "First"),
                                                        audit: ChangeFixture.audit("meeting", "organisation", cluster))
            let late = try await store.addBoardMeeting(BoardMeeting(clusterID: cluster, heldOn: Day(iso: "2030-02-05")!, minutes: "Second"),
                                                       audit: ChangeFixture.audit("meeting", "organisation", cluster))
            board = try await store.changeBoard(clusterID: cluster)
            #expect(Array(board.meetings.prefix(2)) == [late, early])
            #expect(!board.isMember("board-test"))
        }
    }
}
