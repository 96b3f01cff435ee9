import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Register writes over the API: raise, update, escalate, de-escalate, convert and import.
extension APIHandler {
    /// Puts a write's outcome into an operation's output: the record with its ETag, or the problem.
    func respond<Output>(_ outcome: TrackingOutcome, ok: (String, Components.Schemas.TrackingItem) -> Output,
                         problem: (Int, Components.Responses.Problem) -> Output) -> Output {
        switch outcome {
        case .saved(let item): ok(Self.etag(item.version), Self.trackingItem(item))
        case .problem(let status, let title, let detail, let errors): problem(status, Self.problem(status, title, detail, errors))
        }
    }

    func raiseInOrganisationRegister(_ input: Operations.raiseInOrganisationRegister.Input) async throws -> Operations.raiseInOrganisationRegister.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the record as JSON.") }
        return respond(try await trackingWrite { try await tracking.raise(in: .organisation(input.path.code), fields: Self.fields(body), as: user) },
                       ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : .unprocessableContent(problem)
        }
    }

    func raiseInProjectRegister(_ input: Operations.raiseInProjectRegister.Input) async throws -> Operations.raiseInProjectRegister.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the record as JSON.") }
        return respond(try await trackingWrite { try await tracking.raise(in: .project(input.path.code), fields: Self.fields(body), as: user) },
                       ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : .unprocessableContent(problem)
        }
    }

    func updateTrackingItem(_ input: Operations.updateTrackingItem.Input) async throws -> Operations.updateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the changes as JSON.") }
        let expected = try Self.expectedVersion(input.headers.If_hyphen_Match)
        return respond(try await trackingWrite {
            try await tracking.update(id: input.path.id, fields: Self.fields(body), expectedVersion: expected, as: user)
        }, ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : status == 412 ? .preconditionFailed(problem) : .unprocessableContent(problem)
        }
    }

    func escalateTrackingItem(_ input: Operations.escalateTrackingItem.Input) async throws -> Operations.escalateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"reason\": \"…\"}.") }
        let expected = try Self.expectedVersion(input.headers.If_hyphen_Match)
        return respond(try await trackingWrite {
            try await tracking.escalate(id: input.path.id, reason: body.reason, expectedVersion: expected, as: user).original
        }, ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : status == 412 ? .preconditionFailed(problem) : .unprocessableContent(problem)
        }
    }

    func deEscalateTrackingItem(_ input: Operations.deEscalateTrackingItem.Input) async throws -> Operations.deEscalateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"reason\": \"…\"}.") }
        let expected = try Self.expectedVersion(input.headers.If_hyphen_Match)
        return respond(try await trackingWrite {
            try await tracking.deEscalate(id: input.path.id, reason: body.reason, expectedVersion: expected, as: user).original
        }, ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : status == 412 ? .preconditionFailed(problem) : .unprocessableContent(problem)
        }
    }

    func convertTrackingItem(_ input: Operations.convertTrackingItem.Input) async throws -> Operations.convertTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"occurredOn\": \"YYYY-MM-DD\"}.") }
        let expected = try Self.expectedVersion(input.headers.If_hyphen_Match)
        return respond(try await trackingWrite {
            guard let day = Day(iso: body.occurredOn) else {
                try await tracking.checkEditable(id: input.path.id, as: user)
                throw ValidationFailure([FieldError(field: "occurredOn", message: "occurredOn must be YYYY-MM-DD.")])
            }
            return try await tracking.convertToIssue(id: input.path.id, occurredOn: day, expectedVersion: expected, as: user).issue
        }, ok: { .ok(.init(headers: .init(ETag: $0), body: .json($1))) }) { status, problem in
            status == 404 ? .notFound(problem) : status == 412 ? .preconditionFailed(problem) : .unprocessableContent(problem)
        }
    }

    // MARK: Import

    enum ImportResult {
        case imported(Components.Schemas.ImportOutcome)
        case problem(Int, Components.Responses.Problem)
    }

    func importRegister(_ reference: TrackingService.RegisterReference, _ body: HTTPBody) async throws -> ImportResult {
        _ = try await tracking.register(reference, for: .recordRisks, as: user)
        let data = try await Data(collecting: body, upTo: TrackingController.maximumImportBytes)
        do {
            let outcome = try await tracking.importCSV(data, into: reference, as: user)
            return .imported(.init(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged))
        } catch let rejected as TrackingService.ImportRejected {
            return .problem(422, Self.problem(422, "Nothing imported", rejected.summary,
                                              rejected.problems.map { FieldError(field: "line \($0.line)", message: $0.message) }))
        } catch let error as ServiceError where error.kind == .notFound {
            return .problem(404, Self.problem(404, "Not found", error.message, []))
        }
    }

    func importOrganisationRegister(_ input: Operations.importOrganisationRegister.Input) async throws -> Operations.importOrganisationRegister.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        switch try await importRegister(.organisation(input.path.code), body) {
        case .imported(let outcome): return .ok(.init(body: .json(outcome)))
        case .problem(let status, let problem): return status == 404 ? .notFound(problem) : .unprocessableContent(problem)
        }
    }

    func importProjectRegister(_ input: Operations.importProjectRegister.Input) async throws -> Operations.importProjectRegister.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        switch try await importRegister(.project(input.path.code), body) {
        case .imported(let outcome): return .ok(.init(body: .json(outcome)))
        case .problem(let status, let problem): return status == 404 ? .notFound(problem) : .unprocessableContent(problem)
        }
    }
}
