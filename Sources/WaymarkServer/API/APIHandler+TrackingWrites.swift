import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Register writes over the API: raise, update, escalate, de-escalate, convert and import.
extension APIHandler {
    func raiseInOrganisationRegister(_ input: Operations.raiseInOrganisationRegister.Input) async throws -> Operations.raiseInOrganisationRegister.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the record as JSON.") }
        let item = try await tracking.raise(in: .organisation(input.path.code), Self.entry(body), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    func raiseInProjectRegister(_ input: Operations.raiseInProjectRegister.Input) async throws -> Operations.raiseInProjectRegister.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the record as JSON.") }
        let item = try await tracking.raise(in: .project(input.path.code), Self.entry(body), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    func updateTrackingItem(_ input: Operations.updateTrackingItem.Input) async throws -> Operations.updateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the changes as JSON.") }
        let expected = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the record")
        let item = try await tracking.update(id: input.path.id, Self.entry(body, expectedVersion: expected), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    func escalateTrackingItem(_ input: Operations.escalateTrackingItem.Input) async throws -> Operations.escalateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"reason\": \"…\"}.") }
        let expected = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the record")
        let item = try await tracking.escalate(id: input.path.id, reason: body.reason, expectedVersion: expected, as: user).original
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    func deEscalateTrackingItem(_ input: Operations.deEscalateTrackingItem.Input) async throws -> Operations.deEscalateTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"reason\": \"…\"}.") }
        let expected = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the record")
        let item = try await tracking.deEscalate(id: input.path.id, reason: body.reason, expectedVersion: expected, as: user).original
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    func convertTrackingItem(_ input: Operations.convertTrackingItem.Input) async throws -> Operations.convertTrackingItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"occurredOn\": \"YYYY-MM-DD\"}.") }
        let expected = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the record")
        let item = try await tracking.convertToIssue(id: input.path.id, occurredOn: body.occurredOn, expectedVersion: expected, as: user).issue
        return .ok(.init(headers: .init(ETag: Self.etag(item.version)), body: .json(Self.trackingItem(item))))
    }

    // MARK: Import

    func importRegister(_ reference: TrackingService.RegisterReference, _ body: HTTPBody) async throws -> Components.Schemas.ImportOutcome {
        _ = try await tracking.register(reference, for: .recordRisks, as: user)
        let data = try await Data(collecting: body, upTo: TrackingController.maximumImportBytes)
        let outcome = try await tracking.importCSV(data, into: reference, as: user)
        return .init(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged)
    }

    func importOrganisationRegister(_ input: Operations.importOrganisationRegister.Input) async throws -> Operations.importOrganisationRegister.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        return .ok(.init(body: .json(try await importRegister(.organisation(input.path.code), body))))
    }

    func importProjectRegister(_ input: Operations.importProjectRegister.Input) async throws -> Operations.importProjectRegister.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        return .ok(.init(body: .json(try await importRegister(.project(input.path.code), body))))
    }
}
