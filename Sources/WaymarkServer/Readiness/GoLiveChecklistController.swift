import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The Go Live Checklist pages (issue 14): the list, starting one from a template, and each
/// item's owner, evidence and sign-off.
struct GoLiveChecklistController {
    let checklists: GoLiveChecklistService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/go-live-checklists") { request, context in
            let user = try context.actingUser()
            let (project, lists) = try await checklists.checklists(projectCode: try context.parameters.require("code"), as: user)
            return HTMLResponse.page(GoLiveChecklistListPage(project: project, checklists: lists, canStart: user.permits(.recordReadiness),
                                                             csrfToken: context.csrfToken,
                                                             notice: request.queryString.get("started").map { _ in "Checklist started." }).render())
        }
        router.post("/projects/:code/go-live-checklists") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            let list = try await checklists.start(projectCode: code, template: fields["template"] ?? "", as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(ReadinessPaths.checklist(code, list.templateCode))?started=1"])
        }
        router.get("/projects/:code/go-live-checklists/:template") { request, context in
            try await page(context, notice: request.queryString.get("saved").map { _ in "Item saved." }
                ?? request.queryString.get("signed").map { _ in "Item signed off." } ?? request.queryString.get("started").map { _ in "Checklist started." })
        }
        router.post("/projects/:code/go-live-checklists/:template/items/:item") { request, context in
            try await write(request, context, done: "saved") { code, template, item, fields, version, user in
                _ = try await checklists.update(projectCode: code, template: template, item: item, owner: fields["owner"] ?? "",
                                                evidence: fields["evidence"] ?? "", expectedVersion: version, as: user)
            }
        }
        router.post("/projects/:code/go-live-checklists/:template/items/:item/sign-off") { request, context in
            try await write(request, context, done: "signed") { code, template, item, _, version, user in
                _ = try await checklists.signOff(projectCode: code, template: template, item: item, expectedVersion: version, as: user)
            }
        }
    }

    /// Runs one item write from its form, then back to the checklist; a refusal shows on it.
    func write(_ request: Request, _ context: WaymarkRequestContext, done: String,
               _ body: (String, String, String, [String: String], Int?, ActingUser) async throws -> Void) async throws -> Response {
        let (code, template, item) = (try context.parameters.require("code"), try context.parameters.require("template"), try context.parameters.require("item"))
        let fields = try await form(request)
        do {
            try await body(code, template, item, fields, fields["version"].flatMap { Int($0) }, try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(ReadinessPaths.checklist(code, template))?\(done)=1"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            // With no checklist to show the refusal on, the refusal itself is the answer.
            do { return try await page(context, error: refusal.summary, status: refusal.status) } catch _ as ServiceError { throw error }
        }
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let (project, list) = try await checklists.checklist(projectCode: try context.parameters.require("code"),
                                                             template: try context.parameters.require("template"), as: user)
        return HTMLResponse.page(GoLiveChecklistPage(project: project, checklist: list, canEdit: user.permits(.recordReadiness),
                                                     canSignOff: user.permits(.decideGates), csrfToken: context.csrfToken,
                                                     notice: notice, error: error).render(), status: status)
    }
}
