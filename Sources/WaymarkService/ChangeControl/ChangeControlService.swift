import Foundation
import WaymarkCore
import WaymarkStorage

/// Change control (CCNs through the Change Review Board, re-baselining) and the Detailed
/// Implementation Plan. Authorisation goes through `AccessGate`: every call reads its
/// record in the actor's scope first (404 outside it), then checks the role (403).
public struct ChangeControlService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any ChangeControlRepository & PlanRepository & OrganisationRepository & ProjectRepository & AuditRepository
        & SupplierContractRegister & ProjectLifecycleRegister
    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    var today: Day { gate.clock.today }

    func audit(_ action: String, _ type: String, _ id: Int64, before: String? = nil, after: String?, as user: ActingUser) -> AuditRecord {
        gate.auditRecord(action, entityType: type, entityID: id, before: before, after: after, as: user)
    }

    /// The name to record for the acting user.
    func displayName(_ user: ActingUser) -> String { user.account?.displayName ?? user.name }

    // MARK: Reads

    /// The note with `id` if the actor can see it; unknown and out of scope read alike.
    func scopedNote(id: Int64, as user: ActingUser) async throws -> (ChangeControlNote, AccessScope) {
        try await gate.inScope(
            "ccn", as: user, notFound: ServiceError(.notFound, "No Change Control Note has the number \(id)."),
            id: { _ in id }) { try await store.changeNote(id: id, scope: $0) }
    }

    public struct NoteView: Sendable {
        public var note: ChangeControlNote
        public var decisions: [BoardDecision]
        /// The cluster board's meetings, newest first, for the decision form.
        public var meetings: [BoardMeeting]
        public var history: [AuditRecord]
        public var canManage: Bool
        /// The actor's role may decide and they sit on this cluster's board.
        public var canDecide: Bool
        /// The actor's role may decide (whether or not they sit on the board).
        public var mayDecide: Bool
        public var transitions: [ChangeState]
        public var today: Day
    }

    public func noteView(id: Int64, as user: ActingUser) async throws -> NoteView {
        let (note, _) = try await scopedNote(id: id, as: user)
        let board = try await store.changeBoard(clusterID: note.clusterID)
        let history = try await store.auditEntries(AuditQuery(entityType: "ccn", entityID: note.id, changesOnly: true, limit: 50)).items
        return NoteView(note: note, decisions: try await store.decisions(ccnID: note.id), meetings: board.meetings, history: history,
                        canManage: user.permits(.manageChanges), canDecide: user.permits(.decideChanges) && board.isMember(user.name),
                        mayDecide: user.permits(.decideChanges),
                        transitions: ChangeRules.transitions(from: note.state), today: today)
    }

    public struct NoteList: Sendable {
        public var organisation: Organisation
        public var page: Page<ChangeControlNote>
        public var counts: [ChangeState: Int]
        public var state: ChangeState?
        /// Whether the actor may raise a note from here.
        public var canRaise: Bool
    }

    /// The notes that touch an organisation (a cluster's own notes), as far as the actor can see.
    public func notes(organisationCode: String, state: ChangeState?, after: Int64?, limit: Int = 50,
                      as user: ActingUser) async throws -> NoteList {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let scope = try await gate.authorise(.viewRecords, as: user)
        var query = ChangeNoteQuery(scope: scope, within: organisation, state: state, after: after, limit: limit)
        let page = try await store.changeNotes(query)
        query.state = nil
        return NoteList(organisation: organisation, page: page, counts: try await store.changeNoteCounts(query), state: state,
                        canRaise: user.permits(.manageChanges))
    }

    /// Baselines approved CCNs moved on the project of an already authorised page.
    public func baselineHistory(of view: ProgrammeService.ProjectView) async throws -> [BaselineChange] {
        try await store.baselineHistory(projectID: view.project.id)
    }

    public func baselineHistory(projectCode: String, as user: ActingUser) async throws -> (ImplementationProject, [BaselineChange]) {
        let project = try await gate.project(code: projectCode, for: .viewRecords, as: user).0.project
        return (project, try await store.baselineHistory(projectID: project.id))
    }

    /// Counts of the notes touching an organisation, by state, for its page.
    public func counts(within organisation: Organisation, as user: ActingUser) async throws -> [ChangeState: Int] {
        try await store.changeNoteCounts(ChangeNoteQuery(scope: try await gate.authorise(.viewRecords, as: user), within: organisation))
    }

    // MARK: Writes

    /// Raises a note from an organisation: it belongs to that organisation's cluster (or, from
    /// the national office or a supplier, to the cluster named in `input`).
    public func raise(at organisationCode: String, _ input: ChangeNoteInput, as user: ActingUser) async throws -> ChangeControlNote {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let scope = try await gate.authorise(.manageChanges, as: user)
        var errors = input.errors
        if input.type == nil { errors.append(FieldError(field: "type", message: "Choose the type of change: contractual, technical or business.")) }
        guard let cluster = try await raisingCluster(for: organisation, input: input, scope: scope, errors: &errors) else {
            throw ValidationFailure(errors)
        }
        var note = ChangeControlNote(
            clusterID: cluster.id, clusterCode: cluster.code, type: input.type ?? .business, title: input.title.trimmedWhitespace,
            description: input.description.trimmedWhitespace, reason: input.reason.trimmedWhitespace, impact: input.impact,
            raisedBy: displayName(user), raisedOn: today, raisedAt: organisation.id, raisedAtAnchor: ChangeAnchor(organisation))
        try await resolveAffected(input, into: &note, scope: scope, errors: &errors)
        errors += ChangeRules.validate(note)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try await store.saveChangeNote(note, expectedVersion: nil,
                                              audit: audit("raise CCN", "ccn", 0, after: ChangeSnapshot.json(note), as: user))
    }

    func raisingCluster(for organisation: Organisation, input: ChangeNoteInput, scope: AccessScope,
                        errors: inout [FieldError]) async throws -> Organisation? {
        if let id = organisation.ancestry.clusterID {
            return organisation.kind == .cluster ? organisation : try await store.organisation(id: id, scope: .national)
        }
        guard let code = input.clusterCode?.trimmedWhitespace, !code.isEmpty else {
            errors.append(FieldError(field: "cluster", message: "Name the cluster whose Change Review Board will consider the change."))
            return nil
        }
        guard let cluster = try await store.organisation(code: code, scope: scope), cluster.kind == .cluster else {
            errors.append(FieldError(field: "cluster", message: "'\(code)' is not a cluster you can raise changes in."))
            return nil
        }
        return cluster
    }

    /// Looks up the affected projects, milestones and DIP lines in the actor's scope and the
    /// note's cluster, recording a field error for each that does not resolve.
    func resolveAffected(_ input: ChangeNoteInput, into note: inout ChangeControlNote, scope: AccessScope,
                         errors: inout [FieldError]) async throws {
        var projects: [String: ImplementationProject] = [:]
        func project(_ code: String, field: String) async throws -> ImplementationProject? {
            let key = code.uppercased()
            if let known = projects[key] { return known }
            guard let found = try await store.project(code: key, scope: scope)?.project, found.ancestry.clusterID == note.clusterID else {
                errors.append(FieldError(field: field, message: "No project \(key) that you can see in the \(note.clusterCode) cluster."))
                return nil
            }
            projects[key] = found
            note.projects.append(AffectedProject(found))
            return found
        }
        for code in input.projectCodes { _ = try await project(code, field: "projects") }
        for proposal in input.milestones {
            guard let found = try await project(proposal.projectCode, field: "milestones") else { continue }
            guard let milestone = found.milestone(proposal.kind) else {
                errors.append(FieldError(field: "milestones", message: "\(found.code) does not carry the \(proposal.kind.title) milestone."))
                continue
            }
            if milestone.isAchieved {
                errors.append(FieldError(field: "milestones", message: "\(found.code) achieved \(proposal.kind.title) already; its baseline cannot move."))
            }
            note.milestones.append(AffectedMilestone(projectID: found.id, projectCode: found.code, kind: proposal.kind, proposedBaseline: proposal.baseline))
        }
        for reference in input.dipLines {
            guard let dip = try await store.dip(id: reference.dipID, scope: scope), dip.clusterID == note.clusterID else {
                errors.append(FieldError(field: "dipLines", message: "No DIP \(reference.dipID) that you can see in the \(note.clusterCode) cluster."))
                continue
            }
            var anchor = ChangeAnchor(ancestry: note.raisedAtAnchor.ancestry, supplierID: dip.supplierID)
            if let number = reference.lineNumber {
                guard let line = try await store.dipLines(dipID: dip.id, within: nil, scope: scope).first(where: { $0.number == number }) else {
                    errors.append(FieldError(field: "dipLines", message: "DIP \(dip.id) has no line \(number) that you can see."))
                    continue
                }
                anchor.ancestry = line.ancestry
            } else if let cluster = try await store.organisation(id: dip.clusterID, scope: .national) {
                anchor.ancestry = cluster.ancestry
            }
            note.dipLines.append(AffectedDIPLine(dipID: dip.id, lineNumber: reference.lineNumber, proposedDue: reference.proposedDue, anchor: anchor))
        }
    }

    /// Moves a note on (raised → under assessment → at the board; deferred → back; approved →
    /// implemented). Board decisions are `decide`'s alone.
    public func transition(id: Int64, to target: ChangeState?, expectedVersion: Int?, as user: ActingUser) async throws -> ChangeControlNote {
        let (note, _) = try await scopedNote(id: id, as: user)
        _ = try await gate.authorise(.manageChanges, as: user)
        if let expectedVersion, expectedVersion != note.version { throw Self.stale(note) }
        guard let target else {
            throw ValidationFailure([FieldError(field: "state", message: "Choose the state to move \(note.reference) to: "
                + ChangeState.allCases.map(\.rawValue).joined(separator: ", ") + ".")])
        }
        if let refusal = ChangeRules.transitionRefusal(note, to: target) { throw ValidationFailure([FieldError(field: "state", message: refusal)]) }
        var moved = note
        moved.state = target
        return try await save(moved, from: note, expectedVersion: expectedVersion, action: "move CCN to \(target.rawValue)", as: user)
    }

    /// Records (or replaces) one discipline's assessment while the note is being assessed.
    public func recordAssessment(id: Int64, discipline: AssessorDiscipline?, assessor: String, recommendation: String,
                                 expectedVersion: Int?, as user: ActingUser) async throws -> ChangeControlNote {
        let (note, _) = try await scopedNote(id: id, as: user)
        _ = try await gate.authorise(.manageChanges, as: user)
        if let expectedVersion, expectedVersion != note.version { throw Self.stale(note) }
        guard let discipline else {
            throw ValidationFailure([FieldError(field: "discipline", message: "Choose the discipline: "
                + AssessorDiscipline.allCases.map(\.rawValue).joined(separator: ", ") + ".")])
        }
        let assessment = ChangeAssessment(discipline: discipline, assessor: assessor.trimmedWhitespace,
                                          recommendation: recommendation.trimmedWhitespace, recordedOn: today)
        let errors = ChangeRules.validate(assessment)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard note.state == .underAssessment || note.state == .deferred else {
            throw ValidationFailure([FieldError(field: "discipline", message:
                "\(note.reference) is \(note.state.title.lowercased()): assessments are recorded while it is under assessment.")])
        }
        var assessed = note
        assessed.assessments.removeAll { $0.discipline == discipline }
        assessed.assessments.append(assessment)
        assessed.sortItems()
        return try await save(assessed, from: note, expectedVersion: expectedVersion, action: "record \(discipline.rawValue) assessment", as: user)
    }

    func save(_ note: ChangeControlNote, from current: ChangeControlNote, expectedVersion: Int?, action: String,
              as user: ActingUser) async throws -> ChangeControlNote {
        if let expectedVersion, expectedVersion != current.version { throw Self.stale(current) }
        do {
            return try await store.saveChangeNote(note, expectedVersion: current.version, audit: audit(
                action, "ccn", note.id, before: ChangeSnapshot.json(current), after: ChangeSnapshot.json(note), as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(current)
        }
    }

    static func stale(_ note: ChangeControlNote) -> ServiceError {
        ServiceError(.staleVersion, "\(note.reference) was changed by someone else since you opened it. Reload it and try again.")
    }
}

extension ChangeControlService {
    /// Checks the actor may do `activity` to the note (404 out of scope, then 403) before a
    /// form is even read, so a refusal never depends on what the form held.
    public func checkNote(id: Int64, for activity: Activity, as user: ActingUser) async throws {
        _ = try await scopedNote(id: id, as: user)
        _ = try await gate.authorise(activity, as: user)
    }

    /// The same for a change from an organisation's pages (raising a note, running a board).
    public func checkOrganisation(code: String, for activity: Activity, as user: ActingUser) async throws {
        _ = try await gate.organisation(code: code, as: user).0
        _ = try await gate.authorise(activity, as: user)
    }

    /// The same for a DIP seen from an organisation, and one of its lines there when given.
    public func checkDIP(organisationCode: String, dipID: Int64, line: Int?, for activity: Activity, as user: ActingUser) async throws {
        let (organisation, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .viewRecords, as: user)
        if let line, !(try await store.dipLines(dipID: dip.id, within: organisation, scope: scope).contains { $0.number == line }) {
            throw ServiceError(.notFound, "DIP \(dip.id) has no line \(line) at \(organisation.name).")
        }
        _ = try await gate.authorise(activity, as: user)
    }
}
