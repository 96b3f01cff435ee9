import Hummingbird
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Data-quality checks and migration loads over the API (issue 14). The extract is streamed
/// into the reader as it arrives and never collected (APIHeadersMiddleware lets it through).
extension APIHandler {
    var dataQuality: DataQualityService { DataQualityService(programme: service) }

    func getDataQuality(_ input: Operations.getDataQuality.Input) async throws -> Operations.getDataQuality.Output {
        let history = try await dataQuality.history(projectCode: input.path.code, as: user)
        return .ok(.init(body: .json(.init(checks: history.checks.map(Self.check), loads: history.loads.map(Self.load)))))
    }

    func checkDataQuality(_ input: Operations.checkDataQuality.Input) async throws -> Operations.checkDataQuality.Output {
        let body: HTTPBody = switch input.body {
        case .csv(let body): body
        case .plainText(let body): body
        }
        let limit = dataQualityMaximumBytes
        if case .known(let declared) = body.length, declared > limit { throw DataQualityController.tooLarge(limit) }
        let check = try await dataQuality.check(projectCode: input.path.code, as: user) { reader in
            var total = 0
            for try await chunk in body {
                total += chunk.count
                guard total <= limit else { throw DataQualityController.tooLarge(limit) }
                try chunk.withUnsafeBytes { try reader.read($0) }
            }
        }
        return .created(.init(body: .json(Self.check(check))))
    }

    func recordMigrationLoad(_ input: Operations.recordMigrationLoad.Input) async throws -> Operations.recordMigrationLoad.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the load as JSON.") }
        let load = try await dataQuality.recordLoad(projectCode: input.path.code, NewMigrationLoad(
            name: body.name, loadedOn: body.loadedOn, migrated: String(body.migrated), verified: String(body.verified),
            rejected: String(body.rejected)), as: user)
        return .created(.init(body: .json(Self.load(load))))
    }

    static func check(_ c: DataQualityCheck) -> Components.Schemas.DataQualityCheck {
        let n = c.counts
        return .init(id: c.id, checkedOn: c.checkedOn.iso, checkedBy: c.checkedBy, source: n.source == .list ? .list : .extract,
                     records: Int64(n.records), valid: Int64(n.valid), invalid: Int64(n.invalid), missing: Int64(n.missing),
                     duplicates: Int64(n.duplicates), malformedRows: Int64(n.malformedRows), validPerMille: n.validPerMille,
                     fields: n.fields.map { .init(name: $0.name, missing: Int64($0.missing)) })
    }

    static func load(_ l: MigrationLoad) -> Components.Schemas.MigrationLoad {
        .init(id: l.id, name: l.name, loadedOn: l.loadedOn.iso, migrated: Int64(l.migrated), verified: Int64(l.verified),
              rejected: Int64(l.rejected), recordedBy: l.recordedBy)
    }
}
