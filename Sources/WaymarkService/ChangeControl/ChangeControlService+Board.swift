import Foundation
import WaymarkCore
import WaymarkStorage

/// The Change Review Board: its members, meetings and decisions, and the re-baselining an
/// approval applies.
extension ChangeControlService {
    public struct BoardView: Sendable {
        public var organisation: Organisation
        /// nil below or beside a cluster: boards sit in the clusters.
        public var board: ChangeReviewBoard?
        public var decisions: [DecisionListing]
        public var canManage: Bool
    }

    public func boardView(organisationCode: String, as user: ActingUser) async throws -> BoardView {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let scope = try await gate.authorise(.viewRecords, as: user)
        guard organisation.kind == .cluster else {
            return BoardView(organisation: organisation, board: nil, decisions: [], canManage: false)
        }
        return BoardView(organisation: organisation, board: try await store.changeBoard(clusterID: organisation.id),
                         decisions: try await store.boardDecisions(clusterID: organisation.id, scope: scope, limit: 50),
                         canManage: user.permits(.manageChanges) && Self.runsBoards(scope))
    }

    /// Cluster programme controls and the national office run the boards; suppliers and
    /// offices below the cluster take part but do not manage them.
    static func runsBoards(_ scope: AccessScope) -> Bool {
        switch scope {
        case .national, .subtree(.cluster, _): true
        default: false
        }
    }

    /// The cluster whose board the actor may manage: in scope (404), permitted (403), a cluster
    /// (422), and the actor at the cluster or national office (403).
    func managedBoard(organisationCode: String, errors: [FieldError], as user: ActingUser) async throws -> Organisation {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let scope = try await gate.authorise(.manageChanges, as: user)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard organisation.kind == .cluster else {
            throw ValidationFailure([FieldError(field: "organisation", message:
                "Change Review Boards sit in the clusters; \(organisation.name) is a \(organisation.kind.title.lowercased()).")])
        }
        guard Self.runsBoards(scope) else {
            await gate.auditDenial("denied: manage Change Review Board", entityType: "organisation", entityID: organisation.id, as: user)
            throw ServiceError(.forbidden, "Only the cluster's programme controls or the National Programme Office manage its Change Review Board.")
        }
        return organisation
    }

    public func addMeeting(organisationCode: String, heldOn: Day?, minutes: String, as user: ActingUser) async throws -> BoardMeeting {
        let text = minutes.trimmedWhitespace
        var errors: [FieldError] = []
        if heldOn == nil { errors.append(FieldError(field: "heldOn", message: "Give the meeting's date as YYYY-MM-DD.")) }
        if text.isEmpty || text.count > ChangeRules.maximumText {
            errors.append(FieldError(field: "minutes", message: "Record the minutes (up to \(ChangeRules.maximumText) characters)."))
        }
        let cluster = try await managedBoard(organisationCode: organisationCode, errors: errors, as: user)
        let meeting = BoardMeeting(clusterID: cluster.id, heldOn: heldOn!, minutes: text)
        return try await store.addBoardMeeting(meeting, audit: audit(
            "add Change Review Board meeting", "organisation", cluster.id, after: "{\"heldOn\":\"\(meeting.heldOn.iso)\"}", as: user))
    }

    /// Adds or updates a member by username, or removes them.
    public func setMember(organisationCode: String, username: String, name: String, representing: String, remove: Bool,
                          as user: ActingUser) async throws {
        let member = BoardMember(username: username.trimmedWhitespace.lowercased(), name: name.trimmedWhitespace,
                                 representing: representing.trimmedWhitespace)
        var errors: [FieldError] = []
        if member.username.isEmpty || member.username.count > 64 || member.username.contains(where: \.isWhitespace) {
            errors.append(FieldError(field: "username", message: "Give the member's Waymark username (up to 64 characters, no spaces)."))
        }
        if !remove {
            if member.name.isEmpty || member.name.count > ChangeRules.maximumName {
                errors.append(FieldError(field: "name", message: "Give the member's name (up to \(ChangeRules.maximumName) characters)."))
            }
            if member.representing.count > ChangeRules.maximumName {
                errors.append(FieldError(field: "representing", message: "Keep what they represent to \(ChangeRules.maximumName) characters."))
            }
        }
        let cluster = try await managedBoard(organisationCode: organisationCode, errors: errors, as: user)
        if remove {
            do {
                try await store.removeBoardMember(username: member.username, clusterID: cluster.id, audit: audit(
                    "remove Change Review Board member", "organisation", cluster.id, before: "{\"username\":\(Self.json(member.username))}",
                    after: nil, as: user))
            } catch let error as StorageError where error.code == .notFound {
                throw ValidationFailure([FieldError(field: "username", message: "\(member.username) is not on the board.")])
            }
        } else {
            try await store.saveBoardMember(member, clusterID: cluster.id, audit: audit(
                "set Change Review Board member", "organisation", cluster.id,
                after: "{\"name\":\(Self.json(member.name)),\"username\":\(Self.json(member.username))}", as: user))
        }
    }

    /// Records the board's decision on a note at one of its meetings. Only a member of the
    /// cluster's board whose role may decide can; an approval applies the note's proposed
    /// baselines in the same transaction (a stale project fails the whole decision).
    public func decide(id: Int64, meetingID: Int64?, outcome: DecisionOutcome?, reason: String, expectedVersion: Int?,
                       as user: ActingUser) async throws -> ChangeControlNote {
        let (note, _) = try await scopedNote(id: id, as: user)
        _ = try await gate.authorise(.decideChanges, as: user)
        let reason = reason.trimmedWhitespace
        var errors: [FieldError] = []
        if outcome == nil { errors.append(FieldError(field: "outcome", message: "Choose the decision: approved, rejected or deferred.")) }
        if meetingID == nil { errors.append(FieldError(field: "meeting", message: "Choose the board meeting that decided it.")) }
        if reason.isEmpty || reason.count > ChangeRules.maximumText {
            errors.append(FieldError(field: "reason", message: "Give the board's reason (up to \(ChangeRules.maximumText) characters)."))
        }
        guard errors.isEmpty, let outcome, let meetingID else { throw ValidationFailure(errors) }
        let board = try await store.changeBoard(clusterID: note.clusterID)
        guard board.isMember(user.name) else {
            await gate.auditDenial("denied: not on the Change Review Board", entityType: "ccn", entityID: note.id, as: user)
            throw ServiceError(.forbidden, "You (\(user.name)) are not a member of the \(note.clusterCode) Change Review Board, so you cannot record its decision on \(note.reference). Ask the cluster PMO to add you to the board.")
        }
        if let refusal = ChangeRules.decisionRefusal(note) { throw ValidationFailure([FieldError(field: "outcome", message: refusal)]) }
        guard let meeting = board.meetings.first(where: { $0.id == meetingID }) else {
            throw ValidationFailure([FieldError(field: "meeting", message: "That meeting is not one of the \(note.clusterCode) board's.")])
        }
        if let expectedVersion, expectedVersion != note.version { throw Self.stale(note) }
        var decided = note
        decided.state = outcome.state
        let decision = BoardDecision(ccnID: note.id, meetingID: meeting.id, outcome: outcome, reason: reason, decidedBy: user.name, decidedOn: today)
        var change = DecisionChange(decision: decision, note: decided, expectedVersion: note.version)
        var audits = [audit("decide CCN: \(outcome.rawValue)", "ccn", note.id, before: ChangeSnapshot.json(note),
                            after: ChangeSnapshot.json(decided), as: user)]
        if outcome == .approved {
            // The board decides for the whole cluster, so affected projects are read unscoped.
            for affected in note.projects {
                guard let project = try await store.project(code: affected.code, scope: .national)?.project,
                      let (rebaselined, changes) = ChangeRules.rebaseline(project, by: note, on: today) else { continue }
                change.projects.append((rebaselined, project.version))
                change.baselineChanges += changes
                audits.append(audit("re-baseline by \(note.reference)", "project", project.id, before: ProgrammeService.snapshot(project),
                                    after: ProgrammeService.snapshot(rebaselined), as: user))
            }
        }
        do {
            try await store.recordDecision(change, audits: audits)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.conflict, "\(note.reference) or a project it re-baselines was changed by someone else while the decision was saved. Nothing was changed: reload and record the decision again.")
        }
        decided.version = note.version + 1
        return decided
    }

    static func json(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
