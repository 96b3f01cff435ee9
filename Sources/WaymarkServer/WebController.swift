import Foundation
import HTTPTypes
import Hummingbird
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The server-rendered pages. Every page works without JavaScript; the only state-changing
/// route is a POST carrying a CSRF token.
struct WebController {
    let service: ProgrammeService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/") { request, context in try await organisationPage(code: nil, request: request, context: context) }
        router.get("/organisations/:code") { request, context in
            try await organisationPage(code: try context.parameters.require("code"), request: request, context: context)
        }
        router.get("/projects") { request, context in try await projectList(request: request, context: context) }
        router.get("/projects/:code") { request, context in
            let saved = request.uri.queryParameters.get("saved") == "1"
            return try await projectPage(code: try context.parameters.require("code"), request: request, context: context,
                                         notice: saved ? "Milestone dates saved." : nil)
        }
        router.post("/projects/:code/milestones") { request, context in
            try await recordMilestones(code: try context.parameters.require("code"), request: request, context: context)
        }
        router.get("/search") { request, context in
            let text = String((request.uri.queryParameters.get("q") ?? "").prefix(200))
            let results = try await service.search(text, as: user(context))
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
    }

    func user(_ context: WaymarkRequestContext) -> ActingUser {
        ActingUser(name: "web user", origin: RequestOrigin.describe(context.remoteAddress))
    }

    func organisationPage(code: String?, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let view = try await service.organisationView(code: code, as: user(context))
        var product = request.uri.queryParameters.get("product").map { String($0).uppercased() }
        if let p = product, !view.rollUp.productCodes.contains(p) { product = nil }
        return HTMLResponse.page(OrganisationPage(view: view, product: product, statuses: service.statuses(of: view.projects)).render())
    }

    func projectList(request: Request, context: WaymarkRequestContext) async throws -> Response {
        let params = request.uri.queryParameters
        func value(_ name: String) -> String? {
            guard let v = params.get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return String(v.prefix(200))
        }
        let rawWithin = value("within") ?? ""
        var within: Organisation?
        if let code = value("within") { within = try await service.organisation(code: code, as: user(context)) }
        guard value("type").map({ ProjectType(rawValue: $0) != nil }) ?? true,
              value("stage").map({ Int($0).flatMap(NSIStage.init(rawValue:)) != nil }) ?? true,
              value("after").map({ Int64($0) != nil }) ?? true else {
            throw ServiceError(.badRequest, "The list filters are not valid: type must be lsp or esp, stage 0 to 5.")
        }
        let query = ProjectQuery(
            within: within, productCode: value("product"), type: value("type").flatMap(ProjectType.init(rawValue:)),
            stage: value("stage").flatMap { Int($0) }.flatMap(NSIStage.init(rawValue:)), text: value("q"),
            after: value("after").flatMap { Int64($0) }, limit: 50, includeMilestones: false)
        let page = try await service.projects(query, as: user(context))
        return HTMLResponse.page(ProjectListPage(within: within, query: query, page: page,
                                                 statuses: service.statuses(of: page.items), rawWithin: rawWithin).render())
    }

    func projectPage(code: String, request: Request, context: WaymarkRequestContext, notice: String? = nil,
                     entered: [String: String] = [:], errors: [FieldError] = [], formError: String? = nil,
                     staleVersion: Int? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.projectView(code: code, as: user(context))
        let (token, setCookie) = csrf.token(for: request)
        // Each save moves the version on by one and writes one audit entry, newest first.
        let changedSince = staleVersion.map { Array(view.history.prefix(max(0, view.project.version - $0))) } ?? []
        let page = ProjectPage(view: view, csrfToken: token, entered: entered, errors: errors, notice: notice, formError: formError,
                               changedSince: changedSince)
        var headers: HTTPFields = [:]
        if let setCookie { headers[.setCookie] = setCookie }
        return HTMLResponse.page(page.render(), status: status, headers: headers)
    }

    func recordMilestones(code: String, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let body = try await request.cappedBody(upTo: FormBody.maximumBytes)
        let fields = FormBody.parse(String(buffer: body))
        try csrf.verify(request, formToken: fields["csrf"])
        let current = try await service.project(code: code, as: user(context))
        var errors: [FieldError] = []
        var dates: [MilestoneKind: MilestoneDates] = [:]
        for (name, raw) in fields where name.hasPrefix("forecast.") || name.hasPrefix("actual.") {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = MilestoneKind(rawValue: parts[1]) else {
                errors.append(FieldError(field: name, message: "'\(name)' is not a milestone field."))
                continue
            }
            let stored = current.milestone(kind)
            var entry = dates[kind] ?? MilestoneDates(forecast: stored?.forecast, actual: stored?.actual)
            let text = raw.trimmingCharacters(in: .whitespaces)
            let day: Day?
            if text.isEmpty {
                day = nil
            } else if let parsed = Day(iso: text) {
                day = parsed
            } else {
                errors.append(FieldError(field: name, message: "Enter the \(kind.title) \(parts[0]) date as YYYY-MM-DD, for example 2026-03-31."))
                continue
            }
            if parts[0] == "forecast" { entry.forecast = day } else { entry.actual = day }
            dates[kind] = entry
        }
        let version = fields["version"].flatMap { Int($0) }
        if !errors.isEmpty {
            return try await projectPage(code: code, request: request, context: context, entered: fields, errors: errors,
                                         status: .unprocessableContent)
        }
        do {
            _ = try await service.recordMilestoneDates(projectCode: code, dates: dates, expectedVersion: version, as: user(context))
        } catch let failure as ValidationFailure {
            return try await projectPage(code: code, request: request, context: context, entered: fields, errors: failure.errors,
                                         status: .unprocessableContent)
        } catch let error as ServiceError where error.kind == .conflict {
            // Keep what the user typed and show exactly what changed since their form was
            // opened; the form then carries the current version, so saving again is a choice
            // made with the other change in view, never a silent overwrite.
            return try await projectPage(code: code, request: request, context: context, entered: fields,
                                         formError: "Someone else saved this project after you opened it. Your entries are kept below: check them against the change shown and save again to apply them.",
                                         staleVersion: version, status: .conflict)
        }
        return Response(status: .seeOther, headers: [.location: Paths.project(current.code) + "?saved=1"])
    }
}
