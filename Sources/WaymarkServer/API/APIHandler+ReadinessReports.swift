import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Operational Readiness Reports over the API (issue 14): list, generate, read (with what has
/// changed since) and the Project Board's sign-off. A report's ETag is its hash.
extension APIHandler {
    var readinessReports: ReadinessReportService { ReadinessReportService(programme: service) }

    func listReadinessReports(_ input: Operations.listReadinessReports.Input) async throws -> Operations.listReadinessReports.Output {
        let reports = try await readinessReports.reports(projectCode: input.path.code, as: user).1
        return .ok(.init(body: .json(.init(items: reports.map { Self.report($0, intact: true, changes: nil) }))))
    }

    func generateReadinessReport(_ input: Operations.generateReadinessReport.Input) async throws -> Operations.generateReadinessReport.Output {
        let report = try await readinessReports.generate(projectCode: input.path.code, as: user)
        return .created(.init(headers: .init(ETag: "\"\(report.hash)\""), body: .json(Self.report(report, intact: true, changes: []))))
    }

    func getReadinessReport(_ input: Operations.getReadinessReport.Input) async throws -> Operations.getReadinessReport.Output {
        let view = try await readinessReports.report(projectCode: input.path.code, number: input.path.number, as: user)
        return .ok(.init(headers: .init(ETag: "\"\(view.report.hash)\""),
                         body: .json(Self.report(view.report, intact: view.intact, changes: view.changes))))
    }

    func signReadinessReport(_ input: Operations.signReadinessReport.Input) async throws -> Operations.signReadinessReport.Output {
        let expected = input.headers.If_hyphen_Match.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
        let signed = try await readinessReports.sign(projectCode: input.path.code, number: input.path.number, expectedHash: expected, as: user)
        return .ok(.init(body: .json(Self.report(signed, intact: true, changes: []))))
    }

    static func report(_ r: ReadinessReport, intact: Bool, changes: [String]?) -> Components.Schemas.ReadinessReport {
        let i = r.inputs
        let inputs = Components.Schemas.ReadinessInputs(
            projectCode: i.projectCode, productCode: i.productCode, site: i.siteName, goLiveForecast: i.goLiveForecast?.iso,
            surveys: i.surveys.map { .init(kind: $0.kind.rawValue, overall: $0.overall.flatMap { .init(rawValue: $0.rawValue) }, version: $0.version,
                                           signedOff: $0.signedOff, openFindings: $0.openFindings) },
            register: i.register.map { .init(kind: $0.kind == .risk ? .risk : .issue, priority: $0.priority.rawValue, open: $0.open) },
            serious: i.serious.map { .init(reference: $0.reference, title: $0.title, priority: $0.priority.rawValue) },
            safety: .init(openHazards: i.safety.openHazards, blocking: i.safety.blocking, signedBy: i.safety.signedBy, signedAt: i.safety.signedAt,
                          signOffCurrent: i.safety.signOffCurrent),
            dataQuality: i.dataQuality.map { .init(checkedOn: $0.checkedOn.iso, records: Int64($0.records), validPerMille: $0.validPerMille,
                                                   duplicates: Int64($0.duplicates)) },
            migration: i.migration.map { .init(loads: $0.loads, migrated: Int64($0.migrated), verified: Int64($0.verified), rejected: Int64($0.rejected)) },
            criticalPath: .init(problem: i.criticalPath.problem, goLive: i.criticalPath.goLive?.iso,
                                tasks: i.criticalPath.tasks.map { .init(id: $0.id, name: $0.name, start: $0.start.iso, finish: $0.finish.iso) },
                                more: i.criticalPath.more),
            training: i.training)
        return .init(number: r.number, reference: r.reference, generatedAt: r.generatedAt, generatedBy: r.generatedBy, sha256: r.hash,
                     intact: intact, signedBy: r.signedBy, signedAt: r.signedAt, concerns: ReadinessReportRules.concerns(i), changes: changes,
                     inputs: inputs)
    }
}
