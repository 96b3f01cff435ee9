import Hummingbird
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Implements the generated `APIProtocol`: each operation calls the service as the acting user
/// and returns only its success case. Failures are thrown, and `ErrorTable` gives each its
/// status and problem+json body, as it does for the pages.
struct APIHandler: APIProtocol {
    let service: ProgrammeService
    let accounts: AccountService
    var dataQualityMaximumBytes = DataQualityService.maximumBytes

    /// Set by `AuthenticationMiddleware` from the bearer token; nobody (denied everything) otherwise.
    var user: ActingUser {
        RequestActor.current ?? .anonymous(origin: RequestOrigin.current ?? "unknown")
    }

    func listOrganisations(_ input: Operations.listOrganisations.Input) async throws -> Operations.listOrganisations.Output {
        let q = input.query
        try Self.checkLimit(q.limit)
        try Self.checkText(q.q)
        let parent = try await optionalOrganisation(q.parent)
        let within = try await optionalOrganisation(q.within)
        let page = try await service.organisations(OrganisationQuery(
            kind: q.kind.flatMap { OrganisationKind(rawValue: $0.rawValue) }, parentID: parent?.id, within: within,
            text: q.q, after: q.after, limit: q.limit ?? 25), as: user)
        return .ok(.init(body: .json(.init(items: page.items.map { APIMapping.organisation($0, parent: nil) },
                                            nextCursor: page.nextCursor))))
    }

    func getOrganisation(_ input: Operations.getOrganisation.Input) async throws -> Operations.getOrganisation.Output {
        let organisation = try await service.organisation(code: input.path.code, as: user)
        let parent = try await service.ancestors(of: organisation, as: user).last
        return .ok(.init(headers: .init(ETag: Self.etag(organisation.version)), body: .json(APIMapping.organisation(organisation, parent: parent))))
    }

    func getRollUp(_ input: Operations.getRollUp.Input) async throws -> Operations.getRollUp.Output {
        let view = try await service.organisationView(code: input.path.code, as: user)
        return .ok(.init(body: .json(APIMapping.rollUp(view.rollUp))))
    }

    func listProjects(_ input: Operations.listProjects.Input) async throws -> Operations.listProjects.Output {
        let q = input.query
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
    }

    func getProject(_ input: Operations.getProject.Input) async throws -> Operations.getProject.Output {
        let view = try await service.projectView(code: input.path.code, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
    }

    func updateMilestone(_ input: Operations.updateMilestone.Input) async throws -> Operations.updateMilestone.Output {
        guard let kind = MilestoneKind(rawValue: input.path.milestone.rawValue) else { throw ServiceError(.badRequest, "Unknown milestone.") }
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send a JSON body.") }
        let command = RecordMilestoneDates(milestone: kind, forecast: body.forecast, actual: body.actual,
                                           expectedVersion: try Self.ifMatch(input.headers.If_hyphen_Match, of: "the project"))
        let saved = try await service.recordMilestoneDates(projectCode: input.path.code, command, as: user)
        let view = try await service.projectView(code: input.path.code, showing: saved, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.project.version)), body: .json(APIMapping.project(view))))
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

    /// The version an If-Match names; 428 without one, 400 when it is not an ETag.
    static func ifMatch(_ text: String?, of record: String) throws -> Int {
        guard let text else { throw ServiceError.versionRequired("Send If-Match with the ETag of \(record), so this write cannot overwrite a change you have not seen.") }
        // An If-Match that is no ETag of ours can match nothing, so it fails as a stale one does (RFC 9110 §13.1.1).
        guard let version = version(fromETag: text) else { throw ServiceError.stale("If-Match must be the ETag of \(record), e.g. \"3\".") }
        return version
    }

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
