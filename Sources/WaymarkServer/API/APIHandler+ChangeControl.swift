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
        do {
            try Self.checkLimit(input.query.limit)
            let list = try await changeControl.notes(organisationCode: input.path.code, state: input.query.state.flatMap { ChangeState(rawValue: $0.rawValue) },
                                                     after: input.query.after, limit: input.query.limit ?? 25, as: user)
            return .ok(.init(body: .json(.init(items: list.page.items.map(ChangeControlMapping.summary), nextCursor: list.page.nextCursor))))
        } catch let error as ServiceError where error.kind == .notFound || error.kind == .badRequest {
            return error.kind == .notFound ? .notFound(Self.notFound(error)) : .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: error.message))
        }
    }

    func raiseChangeNote(_ input: Operations.raiseChangeNote.Input) async throws -> Operations.raiseChangeNote.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the note as JSON.") }
        do {
            try await changeControl.checkOrganisation(code: input.path.code, for: .manageChanges, as: user)
            let note = try await changeControl.raise(at: input.path.code, ChangeControlMapping.input(body), as: user)
            return .created(.init(headers: .init(ETag: Self.etag(note.version)), body: .json(try await noteBody(note.id))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(Self.invalid(failure))
        }
    }

    func getChangeNote(_ input: Operations.getChangeNote.Input) async throws -> Operations.getChangeNote.Output {
        do {
            let view = try await changeControl.noteView(id: input.path.id, as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(view.note.version)), body: .json(ChangeControlMapping.note(view))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    func noteBody(_ id: Int64) async throws -> Components.Schemas.ChangeNote {
        ChangeControlMapping.note(try await changeControl.noteView(id: id, as: user))
    }

    /// Scope and role first (404, 403), then the If-Match the change needs (428, 400), then the change.
    func changeNote(_ id: Int64, _ activity: Activity, ifMatch: String?,
                    _ change: (Int) async throws -> ChangeControlNote) async throws -> NoteChangeOutcome {
        do {
            try await changeControl.checkNote(id: id, for: activity, as: user)
            guard let ifMatch else { return .preconditionRequired(Self.preconditionRequired("the note's ETag (from GET /api/v1/changes/\(id))")) }
            guard let version = Self.version(fromETag: ifMatch) else { throw ServiceError(.badRequest, "If-Match must be the note's ETag, e.g. \"3\".") }
            let note = try await change(version)
            return .saved(note.version, try await noteBody(note.id))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let error as ServiceError where error.kind == .conflict {
            return .conflict(APIMapping.problem(status: 412, title: "Precondition failed", detail: error.message))
        } catch let failure as ValidationFailure {
            return .invalid(Self.invalid(failure))
        }
    }

    enum NoteChangeOutcome {
        case saved(Int, Components.Schemas.ChangeNote)
        case notFound(Components.Responses.Problem)
        case conflict(Components.Responses.Problem)
        case invalid(Components.Responses.Problem)
        case preconditionRequired(Components.Responses.Problem)
    }

    func transitionChangeNote(_ input: Operations.transitionChangeNote.Input) async throws -> Operations.transitionChangeNote.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"state\": …} as JSON.") }
        switch try await changeNote(input.path.id, .manageChanges, ifMatch: input.headers.If_hyphen_Match, { version in
            try await changeControl.transition(id: input.path.id, to: ChangeState(rawValue: body.state.rawValue), expectedVersion: version, as: user)
        }) {
        case .saved(let version, let note): return .ok(.init(headers: .init(ETag: Self.etag(version)), body: .json(note)))
        case .notFound(let problem): return .notFound(problem)
        case .conflict(let problem): return .preconditionFailed(problem)
        case .invalid(let problem): return .unprocessableContent(problem)
        case .preconditionRequired(let problem): return .preconditionRequired(problem)
        }
    }

    func recordChangeAssessment(_ input: Operations.recordChangeAssessment.Input) async throws -> Operations.recordChangeAssessment.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the assessment as JSON.") }
        switch try await changeNote(input.path.id, .manageChanges, ifMatch: input.headers.If_hyphen_Match, { version in
            try await changeControl.recordAssessment(id: input.path.id, discipline: AssessorDiscipline(rawValue: body.discipline.rawValue),
                                                     assessor: body.assessor, recommendation: body.recommendation, expectedVersion: version, as: user)
        }) {
        case .saved(let version, let note): return .ok(.init(headers: .init(ETag: Self.etag(version)), body: .json(note)))
        case .notFound(let problem): return .notFound(problem)
        case .conflict(let problem): return .preconditionFailed(problem)
        case .invalid(let problem): return .unprocessableContent(problem)
        case .preconditionRequired(let problem): return .preconditionRequired(problem)
        }
    }

    func recordChangeDecision(_ input: Operations.recordChangeDecision.Input) async throws -> Operations.recordChangeDecision.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the decision as JSON.") }
        let id = input.path.id
        do {
            try await changeControl.checkNote(id: id, for: .decideChanges, as: user)
            let ifMatch = input.headers.If_hyphen_Match
            guard let version = Self.version(fromETag: ifMatch) else { throw ServiceError(.badRequest, "If-Match must be the note's ETag, e.g. \"3\".") }
            // A stale ETag is 412; a project that changed while the approval re-baselined it is 409.
            let current = try await changeControl.noteView(id: id, as: user).note
            if current.version != version {
                return .preconditionFailed(APIMapping.problem(status: 412, title: "Precondition failed",
                                                              detail: "\(current.reference) is at version \(current.version), not \(version). Get it again."))
            }
            let note = try await changeControl.decide(id: id, meetingID: body.meeting, outcome: DecisionOutcome(rawValue: body.outcome.rawValue),
                                                      reason: body.reason, expectedVersion: version, as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(note.version)), body: .json(try await noteBody(id))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let error as ServiceError where error.kind == .conflict {
            return .conflict(APIMapping.problem(status: 409, title: "Conflict", detail: error.message))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(Self.invalid(failure))
        }
    }

    func getBaselineHistory(_ input: Operations.getBaselineHistory.Input) async throws -> Operations.getBaselineHistory.Output {
        do {
            let (_, history) = try await changeControl.baselineHistory(projectCode: input.path.code, as: user)
            return .ok(.init(body: .json(history.map(ChangeControlMapping.baselineChange))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    static func notFound(_ error: ServiceError) -> Components.Responses.Problem {
        APIMapping.problem(status: 404, title: "Not found", detail: error.message)
    }

    static func invalid(_ failure: ValidationFailure) -> Components.Responses.Problem {
        APIMapping.problem(status: 422, title: "Validation failed", detail: failure.summary, errors: failure.errors)
    }

    static func preconditionRequired(_ what: String) -> Components.Responses.Problem {
        APIMapping.problem(status: 428, title: "Precondition required", detail: "Send If-Match with \(what).")
    }
}
