import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The risk and issue registers over the API: the same service calls, scope and checks as the
/// pages. A body becomes the same `RegisterEntry` a form does, so validation is shared too.
extension APIHandler {
    var tracking: TrackingService { TrackingService(programme: service) }

    /// The JSON adapter onto the register's one write.
    static func entry(_ input: Components.Schemas.TrackingInput, expectedVersion: Int? = nil) -> RegisterEntry {
        var fields: [String: String] = [:]
        fields["kind"] = input.kind?.rawValue
        fields["title"] = input.title
        fields["description"] = input.description
        fields["cause"] = input.cause
        fields["effect"] = input.effect
        fields["area"] = input.area
        fields["priority"] = input.priority.map(String.init)
        fields["controllability"] = input.controllability
        fields["probability"] = input.probability.map(String.init)
        fields["residualPriority"] = input.residualPriority.map(String.init)
        fields["residualControllability"] = input.residualControllability
        fields["residualProbability"] = input.residualProbability.map(String.init)
        fields["proximity"] = input.proximity
        fields["owner"] = input.owner
        fields["reviewDate"] = input.reviewDate
        fields["contingencyPlan"] = input.contingencyPlan
        fields["response"] = input.response
        fields["status"] = input.status
        fields["occurredOn"] = input.occurredOn
        fields["resolution"] = input.resolution
        let actions = input.actions.map { $0.map { TrackingFields.ActionRow(due: $0.due, owner: $0.owner, description: $0.description, done: $0.done) } }
        return RegisterEntry(fields: fields, actions: actions, expectedVersion: expectedVersion)
    }

    static func assessment(_ a: Assessment) -> Components.Schemas.Assessment {
        .init(priority: a.priority.rawValue, priorityName: a.priority.title,
              controllability: .init(rawValue: a.controllability.rawValue) ?? .D, probability: a.probability)
    }

    static func trackingItem(_ item: TrackingItem) -> Components.Schemas.TrackingItem {
        .init(id: item.id, reference: item.reference, kind: .init(rawValue: item.kind.rawValue) ?? .risk,
              status: .init(rawValue: item.status.rawValue) ?? .open, title: item.title, description: item.description,
              cause: item.cause, effect: item.effect, area: item.area.title, inherent: assessment(item.inherent),
              residual: item.residual.map(assessment), proximity: item.proximity?.iso, owner: item.ownerName,
              reviewDate: item.reviewDate?.iso,
              actions: item.actions.map { .init(description: $0.description, owner: $0.owner, due: $0.due.iso, done: $0.done) },
              contingencyPlan: item.contingencyPlan, response: item.response, occurredOn: item.occurredOn?.iso,
              resolution: item.resolution, raisedOn: item.raisedOn.iso,
              requiredResponse: .init(rawValue: "\(item.requiredResponse)") ?? .monitor, missingResponse: item.missingResponse,
              flagged: item.isFlagged, organisation: item.owner.organisationCode, project: item.owner.projectCode,
              linkedItem: item.linkedItemID, escalatedFrom: item.escalatedFromID, escalatedTo: item.escalatedToID,
              escalationReason: item.escalationReason, version: item.version)
    }

    // MARK: Lists

    func registerList(_ reference: TrackingService.RegisterReference, kind: String?, status: String?, priority: Int?,
                      controllability: String?, flagged: Bool?, overdue: Bool?, below: Bool?, after: Int64?,
                      limit: Int?) async throws -> Components.Schemas.TrackingPage {
        try Self.checkLimit(limit)
        if let priority, RiskPriority(rawValue: priority) == nil { throw ServiceError(.badRequest, "priority must be 1 to 5.") }
        let register = try await tracking.register(reference, for: .viewRecords, as: user)
        let filter = TrackingQuery(kind: kind.flatMap(TrackingKind.init(rawValue:)), status: status.flatMap(TrackingStatus.init(rawValue:)),
                                   priority: priority.flatMap(RiskPriority.init(rawValue:)),
                                   controllability: controllability.flatMap(Controllability.init(rawValue:)), flaggedOnly: flagged ?? false,
                                   overdueToday: overdue == true, after: after, limit: limit ?? 25)
        let page = try await tracking.items(in: register, filter: filter, below: below ?? false, as: user)
        return .init(items: page.items.map(Self.trackingItem), nextCursor: page.nextCursor)
    }

    func listOrganisationRegister(_ input: Operations.listOrganisationRegister.Input) async throws -> Operations.listOrganisationRegister.Output {
        let q = input.query
        return .ok(.init(body: .json(try await registerList(
            .organisation(input.path.code), kind: q.kind?.rawValue, status: q.status?.rawValue, priority: q.priority,
            controllability: q.controllability?.rawValue, flagged: q.flagged, overdue: q.overdue, below: q.below, after: q.after, limit: q.limit))))
    }

    func listProjectRegister(_ input: Operations.listProjectRegister.Input) async throws -> Operations.listProjectRegister.Output {
        let q = input.query
        return .ok(.init(body: .json(try await registerList(
            .project(input.path.code), kind: q.kind?.rawValue, status: q.status?.rawValue, priority: q.priority,
            controllability: q.controllability?.rawValue, flagged: q.flagged, overdue: q.overdue, below: false, after: q.after, limit: q.limit))))
    }

    func getHeatMap(_ input: Operations.getHeatMap.Input) async throws -> Operations.getHeatMap.Output {
        let kind = input.query.kind.flatMap { TrackingKind(rawValue: $0.rawValue) } ?? .risk
        let view = try await tracking.heatMap(organisationCode: input.path.code, kind: kind, as: user)
        let cells = RiskPriority.allCases.flatMap { p in
            Controllability.allCases.map { c in Components.Schemas.HeatMap.cellsPayloadPayload(priority: p.rawValue, controllability: c.rawValue, count: view.map.count(p, c)) }
        }
        return .ok(.init(body: .json(.init(organisation: view.organisation.code, kind: .init(rawValue: kind.rawValue) ?? .risk,
                                           total: view.map.total, flagged: view.map.flagged, cells: cells))))
    }

    func getTrackingItem(_ input: Operations.getTrackingItem.Input) async throws -> Operations.getTrackingItem.Output {
        let view = try await tracking.itemView(id: input.path.id, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.item.version)), body: .json(Self.trackingItem(view.item))))
    }
}
