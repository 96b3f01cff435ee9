import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The Go Live policy page and the Project Board's milestone override (issue 14, part 5).
struct GoLivePolicyController {
    let policies: GoLivePolicyService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/go-live-policy") { request, context in
            try await page(context, notice: request.queryString.get("set").map { _ in "Policy set." })
        }
        router.post("/go-live-policy") { request, context in
            let fields = try await form(request)
            let text = fields["policy"] ?? ""
            do {
                guard text == "inherit" || GoLivePolicy(rawValue: text) != nil else {
                    throw ValidationFailure([FieldError(field: "policy", message: "Choose warn, require or the programme's policy.")])
                }
                _ = try await policies.setPolicy(organisationCode: fields["organisation"] ?? "", GoLivePolicy(rawValue: text), as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "/go-live-policy?set=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(context, error: refusal.summary, status: refusal.status)
            }
        }
        router.post("/projects/:code/milestone-overrides") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            let user = try context.actingUser()
            // 404 out of scope, then 403 without the permission, before the form is checked.
            _ = try await policies.gate.project(code: code, for: .decideGates, as: user)
            guard let milestone = MilestoneKind(rawValue: fields["milestone"] ?? "") else {
                throw ValidationFailure([FieldError(field: "milestone", message: "Choose the milestone the override is for.")])
            }
            _ = try await policies.override(projectCode: code, milestone: milestone, reason: fields["reason"] ?? "", as: user)
            return Response(status: .seeOther, headers: [.location: "\(Paths.project(code))#go-live-policy"])
        }
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await policies.policies(as: try context.actingUser())
        return HTMLResponse.page(GoLivePolicyPage(view: view, csrfToken: context.csrfToken, notice: notice, error: error).render(), status: status)
    }
}
