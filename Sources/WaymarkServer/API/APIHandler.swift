import Hummingbird
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Implements the generated `APIProtocol`: each operation calls the service as the acting user.
/// Expected failures come back as the spec's problem responses; anything unexpected is thrown
/// and turned into problem+json by `ErrorRenderingMiddleware`.
struct APIHandler: APIProtocol {
    let service: ProgrammeService

    /// Set by `AuthenticationMiddleware` from the bearer token; nobody (denied everything) otherwise.
    var user: ActingUser {
        RequestActor.current ?? .anonymous(origin: RequestOrigin.current ?? "unknown")
    }

    func listOrganisations(_ input: Operations.listOrganisations.Input) async throws -> Operations.listOrganisations.Output {
        let q = input.query
        do {
            try Self.checkLimit(q.limit)
            try Self.checkText(q.q)
            let parent = try await optionalOrganisation(q.parent)
            let within = try await optionalOrganisation(q.within)
            let page = try await service.organisations(OrganisationQuery(
                kind: q.kind.flatMap { OrganisationKind(rawValue: $0.rawValue) }, parentID: parent?.id, within: within,
                text: q.q, after: q.after, limit: q.limit ?? 25), as: user)
            return .ok(.init(body: .json(.init(items: page.items.map { APIMapping.organisation($0, parent: nil) },
                                                nextCursor: page.nextCursor))))
        } catch let error as ServiceError where error.kind == .badRequest {
            return .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: error.message))
        }
    }

    func getOrganisation(_ input: Operations.getOrganisation.Input) async throws -> Operations.getOrganisation.Output {
        do {
            let organisation = try await service.organisation(code: input.path.code, as: user)
            let parent = try await service.ancestors(of: organisation, as: user).last
            return .ok(.init(body: .json(APIMapping.organisation(organisation, parent: parent))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(APIMapping.problem(status: 404, title: "Not found", detail: error.message))
        }
    }

    func getRollUp(_ input: Operations.getRollUp.Input) async throws -> Operations.getRollUp.Output {
        do {
            let view = try await service.organisationView(code: input.path.code, as: user)
            return .ok(.init(body: .json(APIMapping.rollUp(view.rollUp))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(APIMapping.problem(status: 404, title: "Not found", detail: error.message))
        }
    }

    func listProjects(_ input: Operations.listProjects.Input) async throws -> Operations.listProjects.Output {
        let q = input.query
        do {
            try Self.checkLimit(q.limit)
            try Self.checkText(q.q)
            if let stage = q.stage, !(0...5).contains(stage) {
                throw ServiceError(.badRequest, "stage must be between 0 and 5, not \(stage).")
            }
            let within = try await optionalOrganisation(q.within)
            let page = try await service.projects(ProjectQuery(
                within: within, productCode: q.product, type: q._type.flatMap { ProjectType(rawValue: $0.rawValue) },
                stage: q.stage.flatMap(NSIStage.init(rawValue:)), text: q.q, after: q.after, limit: q.limit ?? 25, includeMilestones: false), as: user)
            return .ok(.init(body: .json(.init(
                items: zip(page.items, service.statuses(of: page.items)).map { APIMapping.summary($0, status: $1) },
                nextCursor: page.nextCursor))))
        } catch let error as ServiceError where error.kind == .badRequest {
            return .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: error.message))
        }
    }

    func getProject(_ input: Operations.getProject.Input) async throws -> Operations.getProject.Output {
        do {
            let view = try await service.projectView(code: input.path.code, as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(APIMapping.problem(status: 404, title: "Not found", detail: error.message))
        }
    }

    func updateMilestone(_ input: Operations.updateMilestone.Input) async throws -> Operations.updateMilestone.Output {
        guard let kind = MilestoneKind(rawValue: input.path.milestone.rawValue) else {
            return .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: "Unknown milestone."))
        }
        guard case .json(let body) = input.body else {
            return .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: "Send a JSON body."))
        }
        var errors: [FieldError] = []
        func date(_ text: String?, _ part: String) -> Day?? {
            guard let text else { return .none }
            if text.isEmpty { return .some(nil) }
            guard let day = Day(iso: text) else {
                errors.append(FieldError(field: MilestoneRules.field(part, kind),
                                         message: "\(kind.title) \(part) '\(text)' is not a date; use YYYY-MM-DD."))
                return .none
            }
            return .some(day)
        }
        let forecast = date(body.forecast, "forecast")
        let actual = date(body.actual, "actual")
        if !errors.isEmpty {
            return .badRequest(APIMapping.problem(status: 400, title: "Malformed date", detail: errors.map(\.message).joined(separator: " "), errors: errors))
        }
        // Updates must say which version they change, so a lost update cannot happen silently.
        let ifMatch = input.headers.If_hyphen_Match
        guard let version = Self.version(fromETag: ifMatch) else {
            return .badRequest(APIMapping.problem(status: 400, title: "Bad If-Match", detail: "If-Match must be the project's ETag, e.g. \"3\"."))
        }
        let expectedVersion = version
        do {
            let saved = try await service.updateMilestone(projectCode: input.path.code, kind: kind, forecast: forecast, actual: actual,
                                                          expectedVersion: expectedVersion, as: user)
            let view = try await service.projectView(code: input.path.code, showing: saved, as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(APIMapping.problem(status: 422, title: "Milestone rules not met", detail: failure.summary, errors: failure.errors))
        } catch let error as ServiceError {
            switch error.kind {
            case .notFound: return .notFound(APIMapping.problem(status: 404, title: "Not found", detail: error.message))
            case .conflict: return .preconditionFailed(APIMapping.problem(status: 412, title: "Precondition failed", detail: error.message))
            case .badRequest: return .badRequest(APIMapping.problem(status: 400, title: "Bad request", detail: error.message))
            default: throw error
            }
        }
    }

    private func optionalOrganisation(_ code: String?) async throws -> Organisation? {
        guard let code else { return nil }
        return try await service.organisation(code: code, as: user)
    }

    /// The spec's bounds on `limit`; the generated layer does not enforce them.
    static func checkLimit(_ limit: Int?) throws {
        if let limit, !(1...500).contains(limit) {
            throw ServiceError(.badRequest, "limit must be between 1 and 500, not \(limit).")
        }
    }

    /// The spec's bound on the text filter `q` (200 characters, as the pages allow).
    static func checkText(_ text: String?) throws {
        if let text, text.unicodeScalars.count > 200 {
            throw ServiceError(.badRequest, "q is limited to 200 characters, not \(text.unicodeScalars.count).")
        }
    }

    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    static func version(fromETag text: String) -> Int? {
        var t = Substring(text.trimmingSpaces)
        if t.hasPrefix("W/") { t = t.dropFirst(2) }
        if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = t.dropFirst().dropLast() }
        return Int(t)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
