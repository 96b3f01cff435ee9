import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The change control operations: Change Control Notes through the Change Review Board, the
/// baseline history approvals leave, DIP performance, and DIP lines.
extension APIHandler {
    var changeControl: ChangeControlService { ChangeControlService(programme: service) }

    func listChangeNotes(_ input: Operations.listChangeNotes.Input) async throws -> Operations.listChangeNotes.Output {
        try Self.checkLimit(input.query.limit)
        let list = try await changeControl.notes(organisationCode: input.path.code, state: input.query.state.flatMap { ChangeState(rawValue: $0.rawValue) },
                                                 after: input.query.after, limit: input.query.limit ?? 25, as: user)
        return .ok(.init(body: .json(.init(items: list.page.items.map(ChangeControlMapping.summary), nextCursor: list.page.nextCursor))))
    }

    func raiseChangeNote(_ input: Operations.raiseChangeNote.Input) async throws -> Operations.raiseChangeNote.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the note as JSON.") }
        try await changeControl.checkOrganisation(code: input.path.code, for: .manageChanges, as: user)
        let note = try await changeControl.raise(at: input.path.code, ChangeControlMapping.input(body), as: user)
        return .created(.init(headers: .init(ETag: Self.etag(note.version)), body: .json(try await noteBody(note.id))))
    }

    func getChangeNote(_ input: Operations.getChangeNote.Input) async throws -> Operations.getChangeNote.Output {
        let view = try await changeControl.noteView(id: input.path.id, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.note.version)), body: .json(ChangeControlMapping.note(view))))
    }

    func noteBody(_ id: Int64) async throws -> Components.Schemas.ChangeNote {
        ChangeControlMapping.note(try await changeControl.noteView(id: id, as: user))
    }

    /// Scope and role first (404, 403), then the If-Match the change needs (428, 400), then the
    /// change; answers the note as it now is, with its ETag.
    func changeNote(_ id: Int64, _ activity: Activity, ifMatch: String?,
                    _ change: (Int) async throws -> ChangeControlNote) async throws -> (String, Components.Schemas.ChangeNote) {
        try await changeControl.checkNote(id: id, for: activity, as: user)
        let note = try await change(try Self.ifMatch(ifMatch, of: "the note (from GET /api/v1/changes/\(id))"))
        return (Self.etag(note.version), try await noteBody(note.id))
    }

    func transitionChangeNote(_ input: Operations.transitionChangeNote.Input) async throws -> Operations.transitionChangeNote.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"state\": …} as JSON.") }
        let (etag, note) = try await changeNote(input.path.id, .manageChanges, ifMatch: input.headers.If_hyphen_Match) { version in
            try await changeControl.transition(id: input.path.id, to: ChangeState(rawValue: body.state.rawValue), expectedVersion: version, as: user)
        }
        return .ok(.init(headers: .init(ETag: etag), body: .json(note)))
    }

    func recordChangeAssessment(_ input: Operations.recordChangeAssessment.Input) async throws -> Operations.recordChangeAssessment.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the assessment as JSON.") }
        let (etag, note) = try await changeNote(input.path.id, .manageChanges, ifMatch: input.headers.If_hyphen_Match) { version in
            try await changeControl.recordAssessment(id: input.path.id, discipline: AssessorDiscipline(rawValue: body.discipline.rawValue),
                                                     assessor: body.assessor, recommendation: body.recommendation, expectedVersion: version, as: user)
        }
        return .ok(.init(headers: .init(ETag: etag), body: .json(note)))
    }

    func recordChangeDecision(_ input: Operations.recordChangeDecision.Input) async throws -> Operations.recordChangeDecision.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the decision as JSON.") }
        // A stale ETag is 412; a project that changed while the approval re-baselined it is 409.
        let (etag, note) = try await changeNote(input.path.id, .decideChanges, ifMatch: input.headers.If_hyphen_Match) { version in
            try await changeControl.decide(id: input.path.id, meetingID: body.meeting, outcome: DecisionOutcome(rawValue: body.outcome.rawValue),
                                           reason: body.reason, expectedVersion: version, as: user)
        }
        return .ok(.init(headers: .init(ETag: etag), body: .json(note)))
    }

    func getBaselineHistory(_ input: Operations.getBaselineHistory.Input) async throws -> Operations.getBaselineHistory.Output {
        let (_, history) = try await changeControl.baselineHistory(projectCode: input.path.code, as: user)
        return .ok(.init(body: .json(history.map(ChangeControlMapping.baselineChange))))
    }
}
