import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The Operational Readiness Report pages (issue 14): the list, generating a report, one report
/// as a printable page, and the Project Board's sign-off.
struct ReadinessReportController {
    let reports: ReadinessReportService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/readiness-reports") { _, context in
            let (project, list, canGenerate) = try await reports.reports(projectCode: try context.parameters.require("code"), as: try context.actingUser())
            return HTMLResponse.page(ReadinessReportListPage(project: project, reports: list, canGenerate: canGenerate, csrfToken: context.csrfToken).render())
        }
        router.post("/projects/:code/readiness-reports") { request, context in
            let code = try context.parameters.require("code")
            _ = try await form(request)
            let report = try await reports.generate(projectCode: code, as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(ReadinessPaths.report(code, report.number))?generated=1"])
        }
        router.get("/projects/:code/readiness-reports/:number") { request, context in
            try await page(context, notice: request.queryString.get("generated").map { _ in "Report generated from the data as it stands now." }
                ?? request.queryString.get("signed").map { _ in "Signed off for the Project Board." })
        }
        router.post("/projects/:code/readiness-reports/:number/sign-off") { request, context in
            let code = try context.parameters.require("code")
            _ = try await form(request)
            do {
                _ = try await reports.sign(projectCode: code, number: try number(context), as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(ReadinessPaths.report(code, try number(context)))?signed=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(context, error: refusal.summary, status: refusal.status)
            }
        }
    }

    func number(_ context: WaymarkRequestContext) throws -> Int {
        let text = try context.parameters.require("number")
        guard let number = Int(text), number > 0 else { throw ServiceError(.notFound, "There is no report numbered '\(text.prefix(20))'.") }
        return number
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await reports.report(projectCode: try context.parameters.require("code"), number: try number(context), as: try context.actingUser())
        return HTMLResponse.page(ReadinessReportPage(view: view, csrfToken: context.csrfToken, notice: notice, error: error).render(), status: status)
    }
}
