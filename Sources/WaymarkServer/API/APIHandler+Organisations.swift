import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Organisation writes over the API (issue 13): add, edit, move and close. Each body becomes
/// the same `OrganisationChange` a form does.
extension APIHandler {
    var organisations: OrganisationService { OrganisationService(programme: service) }

    func createOrganisation(_ input: Operations.createOrganisation.Input) async throws -> Operations.createOrganisation.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the organisation as JSON.") }
        let created = try await organisations.create(OrganisationChange(
            code: body.code, name: body.name, kind: body.kind.rawValue, subtype: body.subtype, parent: body.parent,
            supplierRole: body.supplierRole?.rawValue, postcode: body.postcode, openedOn: body.openedOn), as: user)
        return .created(.init(headers: .init(ETag: Self.etag(created.version)), body: .json(try await organisationBody(created))))
    }

    func updateOrganisation(_ input: Operations.updateOrganisation.Input) async throws -> Operations.updateOrganisation.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the changes as JSON.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the organisation")
        let saved = try await organisations.update(code: input.path.code, OrganisationChange(
            name: body.name, subtype: body.subtype, postcode: body.postcode, openedOn: body.openedOn, expectedVersion: version), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.version)), body: .json(try await organisationBody(saved))))
    }

    func moveOrganisation(_ input: Operations.moveOrganisation.Input) async throws -> Operations.moveOrganisation.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"parent\": \"CODE\"}.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the organisation")
        let moved = try await organisations.move(code: input.path.code, to: body.parent, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(moved.version)), body: .json(try await organisationBody(moved))))
    }

    func closeOrganisation(_ input: Operations.closeOrganisation.Input) async throws -> Operations.closeOrganisation.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"closedOn\": \"YYYY-MM-DD\"} or {}.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the organisation")
        let day = try body.closedOn.map { text -> Day in
            guard let day = Day(iso: text) else {
                throw ValidationFailure([FieldError(field: "closedOn", message: "Enter the closing date as YYYY-MM-DD.")])
            }
            return day
        }
        let closed = try await organisations.close(code: input.path.code, on: day, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(closed.version)), body: .json(try await organisationBody(closed))))
    }

    /// The organisation as the caller now sees it, with its parent.
    func organisationBody(_ organisation: Organisation) async throws -> Components.Schemas.Organisation {
        APIMapping.organisation(organisation, parent: try await service.ancestors(of: organisation, as: user).last)
    }
}

extension APIHandler {
    func importOrganisations(_ input: Operations.importOrganisations.Input) async throws -> Operations.importOrganisations.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        let data = try await Data(collecting: body, upTo: OrganisationService.maximumImportBytes)
        let preview = input.query.dryRun == true ? try await organisations.previewImport(data, as: user)
            : try await organisations.applyImport(data, expectedFingerprint: input.query.fingerprint, as: user)
        let plan = preview.plan
        return .ok(.init(body: .json(.init(
            applied: input.query.dryRun != true, added: plan.additions.count, changed: plan.changes.count, moved: plan.moves.count,
            closed: plan.closures.count, unchanged: plan.unchanged, fingerprint: preview.fingerprint,
            additions: plan.additions.map(\.code), changes: plan.changes.map(\.before.code)))))
    }
}
