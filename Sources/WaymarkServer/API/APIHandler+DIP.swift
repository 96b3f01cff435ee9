import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// The DIP operations: performance within an organisation, a DIP seen from one, and line changes.
extension APIHandler {
    func getDIPPerformance(_ input: Operations.getDIPPerformance.Input) async throws -> Operations.getDIPPerformance.Output {
        let year = try input.query.year.map { label in
            guard let year = FinancialYear(label: label) else { throw ServiceError(.badRequest, "year must be a financial year such as 2026/27.") }
            return year
        }
        let view = try await changeControl.performance(organisationCode: input.path.code, year: year, as: user)
        return .ok(.init(body: .json(ChangeControlMapping.performance(view))))
    }

    func getDIP(_ input: Operations.getDIP.Input) async throws -> Operations.getDIP.Output {
        let view = try await changeControl.dipView(organisationCode: input.path.code, dipID: input.path.id, as: user)
        return .ok(.init(body: .json(ChangeControlMapping.dip(view))))
    }

    func updateDIPLine(_ input: Operations.updateDIPLine.Input) async throws -> Operations.updateDIPLine.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the change as JSON.") }
        let (code, id, number) = (input.path.code, input.path.id, input.path.line)
        try await changeControl.checkDIP(organisationCode: code, dipID: id, line: number, for: .manageDIP, as: user)
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the line (its version, e.g. \"1\")")
        var errors: [FieldError] = []
        let due = body.due.flatMap { text -> Day? in
            if let day = Day(iso: text) { return day }
            errors.append(FieldError(field: "due", message: "due must be a date (YYYY-MM-DD), not '\(text.prefix(40))'."))
            return nil
        }
        let line = try await changeControl.editLine(organisationCode: code, dipID: id, number: number, .init(
            organisationCode: body.organisation, implementation: body.implementation.flatMap { ImplementationKind(rawValue: $0.rawValue) },
            dueMilestone: body.dueMilestone.flatMap { MilestoneKind(rawValue: $0.rawValue) }, due: due, projectCodes: body.projects,
            remove: body.remove ?? false, ccnReference: body.ccn, errors: errors), expectedVersion: version, as: user)
        return .ok(.init(body: .json(ChangeControlMapping.line(line, status: nil))))
    }
}

/// Setting up a DIP over the API (issue 13): create a draft, then import its lines.
extension APIHandler {
    func createDIP(_ input: Operations.createDIP.Input) async throws -> Operations.createDIP.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"supplier\": \"CODE\", \"year\": \"2027/28\"}.") }
        guard let year = FinancialYear(label: body.year) else { throw ServiceError(.badRequest, "year must be a financial year such as 2027/28.") }
        let dip = try await changeControl.createDIP(clusterCode: input.path.code, supplierCode: body.supplier, year: year, as: user)
        let view = try await changeControl.dipView(organisationCode: input.path.code, dipID: dip.id, as: user)
        return .created(.init(body: .json(ChangeControlMapping.dip(view))))
    }

    func importDIPLines(_ input: Operations.importDIPLines.Input) async throws -> Operations.importDIPLines.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the lines as text/csv.") }
        let data = try await Data(collecting: body, upTo: ChangeControlService.maximumDIPImportBytes)
        let lines = try await changeControl.importDIPLines(organisationCode: input.path.code, dipID: input.path.id, data,
                                                           apply: input.query.dryRun != true, as: user)
        return .ok(.init(body: .json(.init(applied: input.query.dryRun != true, lines: lines.count, linked: lines.filter { !$0.projects.isEmpty }.count))))
    }
}
