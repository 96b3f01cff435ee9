import Foundation
import HTTPTypes
import Hummingbird
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The server-rendered pages. Every page works without JavaScript; the only state-changing
/// route is a POST carrying a CSRF token.
struct ProgrammeController {
    let service: ProgrammeService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/") { request, context in try await organisationPage(code: nil, request: request, context: context) }
        router.get("/organisations/:code") { request, context in
            try await organisationPage(code: try context.parameters.require("code"), request: request, context: context)
        }
        router.get("/projects") { request, context in try await projectList(request: request, context: context) }
        router.get("/projects/export.csv") { request, context in try await projectExport(request: request, context: context) }
        router.get("/audit") { request, context in try await auditPage(request: request, context: context) }
        router.get("/projects/:code") { request, context in
            let saved = request.queryString.get("saved") == "1"
            return try await projectPage(code: try context.parameters.require("code"), request: request, context: context,
                                         notice: saved ? "Milestone dates saved." : nil)
        }
        router.post("/projects/:code/milestones") { request, context in
            try await recordMilestones(code: try context.parameters.require("code"), request: request, context: context)
        }
        router.get("/search") { request, context in
            let text = String((request.queryString.get("q") ?? "").prefix(200))
            let results = try await service.search(text, as: try user(context))
            return HTMLResponse.page(SearchPage(text: text, results: results).render())
        }
        router.get("/static/waymark.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: WaymarkAPISpec.yaml)))
        }
        router.get("/health") { _, _ in "ok" }
        router.get("/health/ready") { [service] _, context in await Health.ready(service.store, logger: context.logger) }
    }

    func user(_ context: WaymarkRequestContext) throws -> ActingUser { try context.actingUser() }

    func organisationPage(code: String?, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let view = try await service.organisationView(code: code, as: try user(context))
        var product = request.queryString.get("product").map { String($0).uppercased() }
        if let p = product, !view.rollUp.productCodes.contains(p) { product = nil }
        let panels = try await Panels.organisation(view, service: service, user: try user(context))
        return HTMLResponse.page(OrganisationPage(view: view, product: product, statuses: service.statuses(of: view.projects),
                                                  panels: panels, canManage: try user(context).grants.contains(.manageOrganisations)).render())
    }

    /// The list's filters from the query string, shared by the page and its CSV export.
    func listQuery(_ request: Request, context: WaymarkRequestContext) async throws -> (within: Organisation?, query: ProjectQuery, rawWithin: String) {
        let params = request.queryString
        func value(_ name: String) -> String? {
            guard let v = params.get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return String(v.prefix(200))
        }
        var within: Organisation?
        if let code = value("within") { within = try await service.organisation(code: code, as: try user(context)) }
        guard value("type").map({ ProjectType(rawValue: $0) != nil }) ?? true,
              value("stage").map({ Int($0).flatMap(NSIStage.init(rawValue:)) != nil }) ?? true,
              value("after").map({ Int64($0) != nil }) ?? true else {
            throw ServiceError(.badRequest, "The list filters are not valid: type must be lsp or esp, stage 0 to 5.")
        }
        let query = ProjectQuery(
            within: within, productCode: value("product"), type: value("type").flatMap(ProjectType.init(rawValue:)),
            stage: value("stage").flatMap { Int($0) }.flatMap(NSIStage.init(rawValue:)), text: value("q"),
            after: value("after").flatMap { Int64($0) }, limit: 50, includeMilestones: false)
        return (within, query, value("within") ?? "")
    }

    func projectList(request: Request, context: WaymarkRequestContext) async throws -> Response {
        let (within, query, rawWithin) = try await listQuery(request, context: context)
        let page = try await service.projects(query, as: try user(context))
        return HTMLResponse.page(ProjectListPage(within: within, query: query, page: page,
                                                 statuses: service.statuses(of: page.items), rawWithin: rawWithin).render())
    }

    /// Every project matching the list's filters, as CSV, within the user's scope.
    func projectExport(request: Request, context: WaymarkRequestContext) async throws -> Response {
        var (_, query, _) = try await listQuery(request, context: context)
        query.limit = 500
        query.includeMilestones = true
        var lines = [ProjectCSV.header]
        repeat {
            let page = try await service.exportPage(query, as: try user(context))
            lines += zip(page.items, service.statuses(of: page.items)).map { ProjectCSV.row($0, status: $1) }
            query.after = page.nextCursor
        } while query.after != nil
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"waymark-projects.csv\"",
            .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }

    func auditPage(request: Request, context: WaymarkRequestContext) async throws -> Response {
        let params = request.queryString
        func value(_ name: String) -> String {
            String((params.get(name) ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
        }
        let from = value("from"), to = value("to")
        guard from.isEmpty || Day(iso: from) != nil, to.isEmpty || Day(iso: to) != nil,
              value("before").isEmpty || Int64(value("before")) != nil else {
            throw ServiceError(.badRequest, "Dates must be YYYY-MM-DD.")
        }
        let entries = try await service.auditTrail(
            projectCode: value("project").isEmpty ? nil : value("project"), actor: value("user").isEmpty ? nil : value("user"),
            from: Day(iso: from), to: Day(iso: to), before: Int64(value("before")), as: try user(context))
        return HTMLResponse.page(AuditPage(entries: entries, project: value("project"), actor: value("user"), from: from, to: to).render())
    }

    func projectPage(code: String, request: Request, context: WaymarkRequestContext, notice: String? = nil,
                     entered: [String: String] = [:], errors: [FieldError] = [], formError: String? = nil,
                     staleVersion: Int? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.projectView(code: code, as: try user(context))
        // Each save moves the version on by one and writes one audit entry, newest first.
        let changedSince = staleVersion.map { Array(view.history.prefix(max(0, view.project.version - $0))) } ?? []
        let actor = try user(context)
        let page = ProjectPage(view: view, canEndProject: actor.permits(.recordMilestones) || actor.permits(.manageOrganisations),
                               csrfToken: context.csrfToken, entered: entered, errors: errors, notice: notice, formError: formError,
                               changedSince: changedSince, panels: try await Panels.project(view, service: service, user: try user(context), csrfToken: context.csrfToken),
                               stages: try await GateService(programme: service).stageReport(view))
        return HTMLResponse.page(page.render(), status: status)
    }

    func recordMilestones(code: String, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let body = try await request.cappedBody(upTo: FormBody.maximumBytes)
        let fields = FormBody.parse(String(buffer: body))
        try csrf.verify(request, formToken: fields["csrf"])
        var form = fields
        form["csrf"] = nil
        let command = RecordMilestoneDates(form: form)
        do {
            _ = try await service.recordMilestoneDates(projectCode: code, command, as: try user(context))
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            guard refusal.status == .preconditionFailed else {
                return try await projectPage(code: code, request: request, context: context, entered: fields,
                                             errors: refusal.formErrors,
                                             status: refusal.status)
            }
            // Keep what the user typed and show exactly what changed since their form was
            // opened; the form then carries the current version, so saving again is a choice
            // made with the other change in view, never a silent overwrite.
            return try await projectPage(code: code, request: request, context: context, entered: fields,
                                         formError: "Someone else saved this project after you opened it. Your entries are kept below: check them against the change shown and save again to apply them.",
                                         staleVersion: command.expectedVersion, status: refusal.status)
        }
        return Response(status: .seeOther, headers: [.location: Paths.project(code) + "?saved=1"])
    }
}
