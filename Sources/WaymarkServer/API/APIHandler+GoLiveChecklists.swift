import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Go Live Checklists over the API (issue 14): list, start from a template, and each item's
/// owner, evidence and sign-off at the checklist's version (its ETag).
extension APIHandler {
    var goLiveChecklists: GoLiveChecklistService { GoLiveChecklistService(programme: service) }

    func listGoLiveChecklists(_ input: Operations.listGoLiveChecklists.Input) async throws -> Operations.listGoLiveChecklists.Output {
        let lists = try await goLiveChecklists.checklists(projectCode: input.path.code, as: user).1
        return .ok(.init(body: .json(.init(items: lists.values.sorted { $0.templateCode < $1.templateCode }.map(Self.checklist),
                                           templates: GoLiveChecklistCatalogue.templates.map(\.code)))))
    }

    func startGoLiveChecklist(_ input: Operations.startGoLiveChecklist.Input) async throws -> Operations.startGoLiveChecklist.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the template as JSON.") }
        let list = try await goLiveChecklists.start(projectCode: input.path.code, template: body.template, as: user)
        return .created(.init(headers: .init(ETag: Self.etag(list.version)), body: .json(Self.checklist(list))))
    }

    func getGoLiveChecklist(_ input: Operations.getGoLiveChecklist.Input) async throws -> Operations.getGoLiveChecklist.Output {
        let list = try await goLiveChecklists.checklist(projectCode: input.path.code, template: input.path.template, as: user).1
        return .ok(.init(headers: .init(ETag: Self.etag(list.version)), body: .json(Self.checklist(list))))
    }

    func updateGoLiveChecklistItem(_ input: Operations.updateGoLiveChecklistItem.Input) async throws -> Operations.updateGoLiveChecklistItem.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the owner and evidence as JSON.") }
        let list = try await goLiveChecklists.update(projectCode: input.path.code, template: input.path.template, item: input.path.item,
                                                     owner: body.owner, evidence: body.evidence,
                                                     expectedVersion: try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the checklist") }, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(list.version)), body: .json(Self.checklist(list))))
    }

    func signOffGoLiveChecklistItem(_ input: Operations.signOffGoLiveChecklistItem.Input) async throws -> Operations.signOffGoLiveChecklistItem.Output {
        let list = try await goLiveChecklists.signOff(projectCode: input.path.code, template: input.path.template, item: input.path.item,
                                                      expectedVersion: try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the checklist") }, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(list.version)), body: .json(Self.checklist(list))))
    }

    static func checklist(_ c: GoLiveChecklist) -> Components.Schemas.GoLiveChecklist {
        .init(template: c.templateCode, title: c.template?.title ?? c.templateCode, templateVersion: c.templateVersion, version: c.version,
              complete: c.isComplete, signedOff: c.signedOffCount,
              items: c.items.map { .init(item: $0.itemID, text: c.template?.item($0.itemID)?.text ?? $0.itemID, owner: $0.owner,
                                         evidence: $0.evidence, signedBy: $0.signedBy, signedAt: $0.signedAt) })
    }
}
