import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkInterchange
import WaymarkService

/// The plan operations: read the scheduled plan, replace it from a file, baseline, export.
extension APIHandler {
    var plans: PlanService { PlanService(programme: service) }

    func getPlan(_ input: Operations.getPlan.Input) async throws -> Operations.getPlan.Output {
        let view = try await plans.planView(code: input.path.code, as: user)
        guard let stored = view.stored else { throw ServiceError(.notFound, "Project \(input.path.code) has no plan yet.") }
        let tasks: [Components.Schemas.PlanTask] = stored.plan.tasks.compactMap { task in
            guard let s = view.schedule?[taskID: task.id] else { return nil }
            return .init(id: task.id, wbs: task.wbs, name: task.name, duration: task.duration, summary: task.isSummary,
                         nsiMilestone: task.nsiMilestone?.rawValue,
                         constraint: task.constraint.map { "\($0.kind.rawValue) \($0.date.iso)" },
                         earlyStart: s.earlyStart.iso, earlyFinish: s.earlyFinish.iso, lateStart: s.lateStart.iso,
                         lateFinish: s.lateFinish.iso, totalFloat: s.totalFloat, freeFloat: s.freeFloat, critical: s.isCritical)
        }
        let plan = Components.Schemas.Plan(
            project: view.listing.project.code, version: stored.version, start: stored.plan.start.iso,
            finish: view.schedule?.finish.iso ?? stored.plan.start.iso, tasks: tasks,
            dependencies: stored.plan.dependencies.map {
                .init(predecessorProject: $0.predecessor.projectCode, predecessor: $0.predecessor.taskID, successor: $0.successorID,
                      kind: .init(rawValue: $0.kind.rawValue) ?? .FS, lag: $0.lag)
            },
            baselines: view.baselines.map(\.name), findings: view.findings.map(\.message),
            violations: (view.schedule?.violations.map(\.message) ?? []) + (view.scheduleProblem.map { [$0] } ?? []))
        return .ok(.init(headers: .init(ETag: Self.etag(stored.version)), body: .json(plan)))
    }

    func importPlan(_ input: Operations.importPlan.Input) async throws -> Operations.importPlan.Output {
        guard let format = PlanFormat(rawValue: input.query.format.rawValue) else { throw ServiceError(.refused, "Use mspdi, xer or csv.") }
        guard case .binary(let body) = input.body else { throw ServiceError(.refused, "Send the plan file as the body.") }
        let data = try await Data(collecting: body, upTo: PlanController.maximumUploadBytes)
        // A plan's first import has nothing to match, so If-Match is optional here.
        let expected = try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the plan") }
        let outcome = try await plans.importPlan(code: input.path.code, data: data, format: format, expectedVersion: expected, as: user)
        return .ok(.init(body: .json(.init(tasks: outcome.tasks, dependencies: outcome.dependencies, version: outcome.version,
                                           notes: outcome.notes.map(\.description), findings: outcome.findings.map(\.message)))))
    }

    func saveBaseline(_ input: Operations.saveBaseline.Input) async throws -> Operations.saveBaseline.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.refused, "Send {\"name\": \"…\"}.") }
        try await plans.saveBaseline(code: input.path.code, name: body.name, as: user)
        return .created(.init())
    }

    func exportPlan(_ input: Operations.exportPlan.Input) async throws -> Operations.exportPlan.Output {
        guard let format = PlanFormat(rawValue: input.query.format.rawValue) else { throw ServiceError(.badRequest, "Use mspdi, xer or csv.") }
        let data = try await plans.exportPlan(code: input.path.code, format: format, as: user)
        return .ok(.init(body: .binary(HTTPBody(data))))
    }
}
