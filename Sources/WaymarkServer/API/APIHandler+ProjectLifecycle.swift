import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Creating, closing and cancelling projects over the API (issue 13).
extension APIHandler {
    var lifecycle: ProjectLifecycleService { ProjectLifecycleService(programme: service) }

    func createProject(_ input: Operations.createProject.Input) async throws -> Operations.createProject.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the project as JSON.") }
        let created = try await lifecycle.create(NewProject(organisation: input.path.code, product: body.product, type: body._type?.rawValue,
                                                            baselines: body.baselines.additionalProperties), as: user)
        let view = try await service.projectView(code: created.code, as: user)
        return .created(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
    }

    func closeProject(_ input: Operations.closeProject.Input) async throws -> Operations.closeProject.Output {
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the project")
        let closed = try await lifecycle.close(code: input.path.code, expectedVersion: version, as: user)
        let view = try await service.projectView(code: closed.code, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
    }

    func cancelProject(_ input: Operations.cancelProject.Input) async throws -> Operations.cancelProject.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"reason\": \"...\"}.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the project")
        let cancelled = try await lifecycle.cancel(code: input.path.code, reason: body.reason, ccn: body.ccn, expectedVersion: version, as: user)
        let view = try await service.projectView(code: cancelled.code, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
    }
}
