import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// The change control service's rules, on both backends: what each refusal says, and that a
/// refused request changes nothing.
@Suite("Change control service")
struct ChangeControlServiceTests {
    static func user(_ app: TestApp, _ role: Role) async throws -> ActingUser {
        try await app.accounts.actingUser(try await app.signIn(role).user, origin: "tests")
    }

    /// A CCN about the demo trust's first open LSP project, moving its go-live four weeks, raised by the cluster.
    static func raise(_ app: TestApp, as user: ActingUser) async throws -> (ChangeControlNote, ImplementationProject) {
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        let moved = Set(app.dataset.changeControl.baselineChanges.map(\.projectID))
        let project = try #require(app.dataset.projects.first { (p: ImplementationProject) -> Bool in
            p.ancestry.trustID == trust.id && p.type == .lsp && p.milestone(.goLiveCompleted)?.isAchieved == false && !moved.contains(p.id)
        })
        let goLive = try #require(project.milestone(.goLiveCompleted)?.baseline)
        let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
        let note = try await ChangeControlService(programme: app.service).raise(at: cluster.code, ChangeNoteInput(
            type: .technical, title: "Go-live after migration rehearsal", description: "Four weeks later.", reason: "Rehearsal failed.",
            projectCodes: [project.code], milestones: [.init(projectCode: project.code, kind: .goLiveCompleted, baseline: goLive.adding(days: 28))]),
            as: user)
        return (note, project)
    }

    static func assessAll(_ service: ChangeControlService, _ id: Int64, as user: ActingUser) async throws {
        for discipline in AssessorDiscipline.allCases {
            _ = try await service.recordAssessment(id: id, discipline: discipline, assessor: "Assessor", recommendation: "Approve",
                                                   expectedVersion: nil, as: user)
        }
    }

    static func failure(_ body: () async throws -> Void) async -> ValidationFailure? {
        do { try await body() } catch let failure as ValidationFailure { return failure } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    static func serviceError(_ body: () async throws -> Void) async -> ServiceError? {
        do { try await body() } catch let error as ServiceError { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test("illegal CCN transitions are refused with a clear message and change nothing", arguments: Backend.testable)
    func illegalTransitions(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ChangeControlService(programme: app.service)
            let pcm = try await Self.user(app, .clusterProgrammeControls)
            let (note, _) = try await Self.raise(app, as: pcm)
            #expect(note.state == .raised && note.version == 1)
            for (target, message) in [
                (ChangeState.atBoard, "\(note.reference) is raised: it cannot move to at change review board; it can move only to under assessment."),
                (.implemented, "\(note.reference) is raised: it cannot move to implemented; it can move only to under assessment."),
                (.approved, "Approved is a Change Review Board decision: record it from a board meeting while \(note.reference) is at the board."),
            ] {
                let failure = await Self.failure { _ = try await service.transition(id: note.id, to: target, expectedVersion: 1, as: pcm) }
                #expect(failure?.errors == [FieldError(field: "state", message: message)])
            }
            let moved = try await service.transition(id: note.id, to: .underAssessment, expectedVersion: 1, as: pcm)
            let early = await Self.failure { _ = try await service.transition(id: note.id, to: .atBoard, expectedVersion: moved.version, as: pcm) }
            #expect(early?.errors.first?.message.contains("until every discipline has assessed it: missing commercial, technical") == true)
            let stale = await Self.serviceError { _ = try await service.transition(id: note.id, to: .atBoard, expectedVersion: 1, as: pcm) }
            #expect(stale?.kind == .staleVersion)
            let stored = try #require(try await app.store.changeNote(id: note.id, scope: .national))
            #expect(stored == moved, "refusals changed nothing")
            #expect(try await app.store.auditEntries(AuditQuery(entityType: "ccn", entityID: note.id)).items.map(\.action)
                == ["move CCN to under-assessment", "raise CCN"])
            try await Self.assessAll(service, note.id, as: pcm)
            #expect(try await service.transition(id: note.id, to: .atBoard, expectedVersion: nil, as: pcm).state == .atBoard)
        }
    }

    @Test("a CCN decision by someone not on the board is refused, audited and changes nothing; a member's approval re-baselines",
          arguments: Backend.testable)
    func decisionNeedsBoardMembership(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ChangeControlService(programme: app.service)
            let pcm = try await Self.user(app, .clusterProgrammeControls)
            let sha = try await Self.user(app, .shaProgrammeOffice)
            let (raised, project) = try await Self.raise(app, as: pcm)
            _ = try await service.transition(id: raised.id, to: .underAssessment, expectedVersion: nil, as: pcm)
            try await Self.assessAll(service, raised.id, as: pcm)
            let note = try await service.transition(id: raised.id, to: .atBoard, expectedVersion: nil, as: pcm)
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let meeting = try #require(try await app.store.changeBoard(clusterID: cluster.id).meetings.first)

            let refused = await Self.serviceError {
                _ = try await service.decide(id: note.id, meetingID: meeting.id, outcome: .approved, reason: "Agreed", expectedVersion: note.version, as: sha)
            }
            #expect(refused?.kind == .forbidden)
            #expect(refused?.message.contains("not a member of the \(cluster.code) Change Review Board") == true)
            #expect(try await app.store.changeNote(id: note.id, scope: .national) == note)
            #expect(try await app.store.project(code: project.code, scope: .national)?.project == project)
            #expect(try await app.store.baselineHistory(projectID: project.id).isEmpty)
            let denials = try await app.store.auditEntries(AuditQuery(entityType: "ccn", entityID: note.id)).items
            #expect(denials.first?.action == "denied: not on the Change Review Board" && denials.first?.actor == sha.name)

            try await service.setMember(organisationCode: cluster.code, username: sha.name, name: "SHA rep", representing: "SHA representative",
                                        remove: false, as: pcm)
            let badInput = await Self.failure {
                _ = try await service.decide(id: note.id, meetingID: nil, outcome: nil, reason: " ", expectedVersion: note.version, as: sha)
            }
            #expect(Set(badInput?.errors.map(\.field) ?? []) == ["outcome", "meeting", "reason"])
            let approved = try await service.decide(id: note.id, meetingID: meeting.id, outcome: .approved, reason: "Agreed",
                                                    expectedVersion: note.version, as: sha)
            #expect(approved.state == .approved)
            let moved = try #require(try await app.store.project(code: project.code, scope: .national)?.project)
            #expect(moved.milestone(.goLiveCompleted)?.baseline == project.milestone(.goLiveCompleted)?.baseline?.adding(days: 28))
            #expect(moved.version == project.version + 1)
            let history = try await app.store.baselineHistory(projectID: project.id)
            #expect(history.map(\.ccnReference) == [note.reference] && history.first?.from == project.milestone(.goLiveCompleted)?.baseline)
            #expect(try await app.store.auditEntries(AuditQuery(entityType: "project", entityID: project.id)).items.first?.action
                == "re-baseline by \(note.reference)")
            let again = await Self.failure {
                _ = try await service.decide(id: note.id, meetingID: meeting.id, outcome: .rejected, reason: "No", expectedVersion: nil, as: sha)
            }
            #expect(again?.errors.first?.message.contains("not at the Change Review Board") == true)
        }
    }

    @Test("a DIP edit without an approved CCN that lists the line is refused and changes nothing", arguments: Backend.testable)
    func dipEditNeedsApprovedCCN(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ChangeControlService(programme: app.service)
            let supplier = try await Self.user(app, .supplierImplementer)
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let year = FinancialYear(containing: TestApp.today)
            let dip = try #require(app.dataset.changeControl.dips.first { $0.clusterID == cluster.id && $0.year == year })
            let notes = app.dataset.changeControl.notes.filter { note in note.dipLines.contains { $0.dipID == dip.id } }
            let approved = try #require(notes.first { $0.state == .approved })
            let atBoard = try #require(notes.first { $0.state == .atBoard })
            let line = try #require(dip.lines.first { approved.covers(dipID: dip.id, lineNumber: $0.number) })
            let other = try #require(dip.lines.first { !approved.covers(dipID: dip.id, lineNumber: $0.number) })
            let home = try app.homeOrganisation(for: .supplierImplementer)
            func edit(_ number: Int, ccn: String?) async -> ValidationFailure? {
                await Self.failure {
                    _ = try await service.editLine(organisationCode: home.code, dipID: dip.id, number: number,
                                                   .init(due: year.end, ccnReference: ccn), expectedVersion: nil, as: supplier)
                }
            }
            #expect(await edit(line.number, ccn: nil)?.errors.first?.message
                == "The DIP is agreed, so line \(line.number) can change only through an approved Change Control Note: give the CCN's reference.")
            #expect(await edit(line.number, ccn: atBoard.reference)?.errors.first?.message.contains("not approved") == true)
            #expect(await edit(other.number, ccn: approved.reference)?.errors.first?.message.contains("does not list line \(other.number)") == true)
            #expect(await edit(line.number, ccn: "CCN-XYZ-0001")?.errors.first?.field == "ccn")
            let lines = try await app.store.dipLines(dipID: dip.id, within: nil, scope: .national)
            #expect(lines == dip.lines, "refused edits changed nothing")

            let edited = try await service.editLine(organisationCode: home.code, dipID: dip.id, number: line.number,
                                                    .init(due: year.end, ccnReference: approved.reference), expectedVersion: line.version, as: supplier)
            #expect(edited.dueDate == year.end && edited.ccnID == approved.id && edited.version == line.version + 1)
            let audit = try #require(try await app.store.auditEntries(AuditQuery(entityType: "dip", entityID: dip.id)).items.first)
            #expect(audit.action == "change DIP line \(line.number) under \(approved.reference)")
            // Linking projects does not change the obligation, so it needs no CCN.
            let relinked = try await service.editLine(organisationCode: home.code, dipID: dip.id, number: other.number,
                                                      .init(projectCodes: []), expectedVersion: nil, as: supplier)
            #expect(relinked.projects.isEmpty)
            let agree = await Self.serviceError { try await service.agree(organisationCode: home.code, dipID: dip.id, expectedVersion: dip.version, as: supplier) }
            #expect(agree?.kind == .forbidden, "the LSP drafts; the cluster agrees")
        }
    }

    @Test("raising checks the affected items in scope and cluster; the board is managed only from the cluster", arguments: Backend.testable)
    func raiseAndBoardChecks(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ChangeControlService(programme: app.service)
            let trustPM = try await Self.user(app, .trustProjectManager)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != trust.id })
            let failure = await Self.failure {
                _ = try await service.raise(at: trust.code, ChangeNoteInput(type: nil, title: "", description: "x", reason: "y",
                                                                           projectCodes: [outside.code, "NOPE-1"]), as: trustPM)
            }
            #expect(Set(failure?.errors.map(\.field) ?? []) == ["type", "title", "projects"])
            let own = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id })
            let raised = try await service.raise(at: trust.code, ChangeNoteInput(type: .business, title: "Local change", description: "x",
                                                                                reason: "y", projectCodes: [own.code]), as: trustPM)
            #expect(raised.clusterID == trust.ancestry.clusterID && raised.raisedAt == trust.id)
            #expect(try await service.noteView(id: raised.id, as: trustPM).note.projects.map(\.code) == [own.code])

            let supplier = try await Self.user(app, .supplierImplementer)
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let refused = await Self.serviceError {
                try await service.setMember(organisationCode: cluster.code, username: "someone", name: "Someone", representing: "", remove: false, as: supplier)
            }
            #expect(refused?.kind == .forbidden)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let notACluster = await Self.failure {
                _ = try await service.addMeeting(organisationCode: sha.code, heldOn: TestApp.today, minutes: "Minutes", as: try await Self.user(app, .nationalProgrammeOffice))
            }
            #expect(notACluster?.errors.first?.message.contains("Change Review Boards sit in the clusters") == true)
            #expect(try await app.store.changeBoard(clusterID: cluster.id) == ChangeReviewBoard(
                clusterID: cluster.id, members: app.dataset.changeControl.boards.first { $0.clusterID == cluster.id }!.members
                    .sorted { ($0.name, $0.username) < ($1.name, $1.username) },
                meetings: app.dataset.changeControl.boards.first { $0.clusterID == cluster.id }!.meetings.reversed()))
        }
    }
}
