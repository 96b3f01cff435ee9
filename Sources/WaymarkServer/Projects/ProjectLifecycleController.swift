import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The close-or-cancel page of a project and its two forms (issue 13).
struct ProjectLifecycleController {
    let lifecycle: ProjectLifecycleService
    let programme: ProgrammeService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/state") { _, context in
            try await page(code: try context.parameters.require("code"), context: context)
        }
        router.post("/projects/:code/close") { request, context in
            try await change(request, context, form: "close") { code, fields, user in
                _ = try await lifecycle.close(code: code, expectedVersion: fields["version"].flatMap { Int($0) }, as: user)
            }
        }
        router.post("/projects/:code/cancel") { request, context in
            try await change(request, context, form: "cancel") { code, fields, user in
                let ccn = (fields["ccn"] ?? "").trimmedWhitespace
                guard ccn.isEmpty || Int64(ccn) != nil else {
                    _ = try await lifecycle.gate.project(code: code, for: .manageOrganisations, as: user)
                    throw ValidationFailure([FieldError(field: "ccn", message: "Give the Change Control Note's number, or leave it empty.")])
                }
                _ = try await lifecycle.cancel(code: code, reason: fields["reason"] ?? "", ccn: Int64(ccn),
                                               expectedVersion: fields["version"].flatMap { Int($0) }, as: user)
            }
        }
    }

    func change(_ request: Request, _ context: WaymarkRequestContext, form: String,
                _ body: (String, [String: String], ActingUser) async throws -> Void) async throws -> Response {
        let code = try context.parameters.require("code")
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        do {
            try await body(code, fields, try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "/projects/\(urlEncoded(code))"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await page(code: code, context: context, form: FormState(failedForm: form, entered: fields, errors: refusal.errors(orOn: form == "cancel" ? "reason" : "")),
                                  status: refusal.status)
        }
    }

    func page(code: String, context: WaymarkRequestContext, form: FormState = FormState(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let project = try await programme.projectView(code: code, as: try context.actingUser()).project
        return HTMLResponse.page(ProjectStatePage(project: project, csrfToken: context.csrfToken, form: form).render(), status: status)
    }
}
