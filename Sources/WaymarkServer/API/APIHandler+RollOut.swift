import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Roll-out templates, roll-outs and deviation reports over the API (issue 13).
extension APIHandler {
    var rollOuts: RollOutService { RollOutService(programme: service) }

    func listRollOutTemplates(_ input: Operations.listRollOutTemplates.Input) async throws -> Operations.listRollOutTemplates.Output {
        .ok(.init(body: .json(.init(items: try await rollOuts.templates(as: user).map(Self.templateBody)))))
    }

    func saveRollOutTemplate(_ input: Operations.saveRollOutTemplate.Input) async throws -> Operations.saveRollOutTemplate.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the template as JSON.") }
        let saved = try await rollOuts.saveTemplate(TemplateInput(
            code: body.code, name: body.name, product: body.product, type: body._type?.rawValue,
            offsets: body.offsets.additionalProperties.mapValues { String($0) }, catalogueVersion: body.catalogueVersion,
            documents: body.documents ?? [], planTasks: body.planTasks ?? []), as: user)
        return .created(.init(body: .json(Self.templateBody(saved))))
    }

    func getRollOutDeviations(_ input: Operations.getRollOutDeviations.Input) async throws -> Operations.getRollOutDeviations.Output {
        let (template, report) = try await rollOuts.deviations(templateCode: input.path.code, as: user)
        return .ok(.init(body: .json(.init(
            template: template.code, projects: report.projects, withoutPlan: report.withoutPlan,
            plans: report.plans.map { .init(project: $0.projectCode, added: $0.added, removed: $0.removed) },
            documents: report.documents.map { .init(project: $0.projectCode, document: $0.productCode) },
            moved: report.moved.map { .init(project: $0.projectCode, milestone: $0.milestone.rawValue, expected: $0.expected.iso,
                                            baseline: $0.baseline?.iso, ccn: $0.ccnID) },
            catalogue: report.catalogue.map { .init(project: $0.projectCode, expected: $0.expected, actual: $0.actual) }))))
    }

    func rollOut(_ input: Operations.rollOut.Input) async throws -> Operations.rollOut.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the roll-out as JSON.") }
        var waves: [RollOutWave] = []
        for wave in body.waves {
            guard let start = Day(iso: wave.start) else {
                throw ValidationFailure([FieldError(field: "waves", message: "Give each wave's start as YYYY-MM-DD.")])
            }
            waves.append(RollOutWave(start: start, perWeek: wave.perWeek))
        }
        let request = RollOutRequest(template: input.path.code, version: body.version, within: body.within, subtype: body.subtype,
                                     sites: body.sites, waves: waves)
        let result = input.query.dryRun == true ? try await rollOuts.preview(request, as: user)
            : try await rollOuts.apply(request, expectedFingerprint: input.query.fingerprint, as: user)
        return .ok(.init(body: .json(.init(
            applied: result.applied, template: result.template.code, version: result.template.version, projects: result.projects.count,
            fingerprint: result.fingerprint,
            waves: result.waves.map { .init(wave: $0.wave, sites: $0.sites, first: $0.first.iso, last: $0.last.iso) },
            codes: result.projects.prefix(1000).map(\.projectCode)))))
    }

    static func templateBody(_ t: RollOutTemplate) -> Components.Schemas.RollOutTemplate {
        .init(code: t.code, version: t.version, name: t.name, product: t.productCode, _type: .init(rawValue: t.type.rawValue) ?? .lsp,
              offsets: .init(additionalProperties: Dictionary(uniqueKeysWithValues: t.offsets.map { ($0.key.rawValue, $0.value) })),
              catalogueVersion: t.catalogueVersion, documents: t.documents, planTasks: t.planTasks)
    }
}

extension APIHandler {
    func upgradeRollOutTemplate(_ input: Operations.upgradeRollOutTemplate.Input) async throws -> Operations.upgradeRollOutTemplate.Output {
        let result = input.query.dryRun == true ? try await rollOuts.upgradePreview(templateCode: input.path.code, as: user)
            : try await rollOuts.upgrade(templateCode: input.path.code, expectedFingerprint: input.query.fingerprint, as: user)
        return .ok(.init(body: .json(.init(applied: result.applied, template: result.template.code, version: result.template.version,
                                           projects: result.projects, moves: result.moves.count, keptDeviations: result.keptDeviations.count,
                                           fingerprint: result.fingerprint))))
    }
}
