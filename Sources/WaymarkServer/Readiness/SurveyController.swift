import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The readiness survey pages (issue 14): the list, one survey's form, its sign-off, and
/// raising a finding as a risk or an issue.
struct SurveyController {
    let surveys: SurveyService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/readiness") { _, context in
            let (project, responses) = try await surveys.surveys(projectCode: try context.parameters.require("code"), as: try context.actingUser())
            return HTMLResponse.page(SurveyListPage(project: project, responses: responses).render())
        }
        router.get("/projects/:code/readiness/:kind") { request, context in
            try await page(context, notice: request.queryString.get("saved").map { _ in "Answers saved." }
                ?? request.queryString.get("signed").map { _ in "Signed off." }
                ?? request.queryString.get("imported").map { _ in "Answers imported from the file." }
                ?? request.queryString.get("raised").map { "Raised as \($0) in the project register." })
        }
        router.post("/projects/:code/readiness/:kind") { request, context in
            let (code, kind) = (try context.parameters.require("code"), try context.parameters.require("kind"))
            var fields = try await form(request)
            let version = fields.removeValue(forKey: "version").flatMap { Int($0) }
            do {
                _ = try await surveys.save(projectCode: code, kind: kind, SurveyInput(form: fields), expectedVersion: version == 0 ? nil : version,
                                           as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(Self.path(code, kind))?saved=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(context, form: FormState(failedForm: "survey", entered: fields, errors: refusal.errors(orOn: "answers")),
                                      status: refusal.status)
            }
        }
        router.post("/projects/:code/readiness/:kind/import") { request, context in
            let (code, kind) = (try context.parameters.require("code"), try context.parameters.require("kind"))
            let parts = try await Multipart.form(request, upTo: SurveyService.maximumImportBytes + 64 * 1024)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            let version = parts["version"].flatMap { Int($0.text.trimmedWhitespace) }
            do {
                _ = try await surveys.importCSV(projectCode: code, kind: kind, Data(parts["file"]?.data ?? []),
                                                expectedVersion: version == 0 ? nil : version, as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(Self.path(code, kind))?imported=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                // Each rejected row by its line, as plain text above the form.
                let lines = refusal.errors.map { FieldError(field: "", message: $0.field.hasPrefix("line ") ? "\($0.field.capitalized): \($0.message)" : $0.message) }
                return try await page(context, form: FormState(failedForm: "import", errors: lines.isEmpty ? [FieldError(field: "", message: refusal.detail)] : lines),
                                      status: refusal.status)
            }
        }
        router.post("/projects/:code/readiness/:kind/sign-off") { request, context in
            let (code, kind) = (try context.parameters.require("code"), try context.parameters.require("kind"))
            let fields = try await form(request)
            _ = try await surveys.signOff(projectCode: code, kind: kind, expectedVersion: fields["version"].flatMap { Int($0) }, as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(Self.path(code, kind))?signed=1"])
        }
        router.post("/projects/:code/readiness/:kind/raise") { request, context in
            let (code, kind) = (try context.parameters.require("code"), try context.parameters.require("kind"))
            let fields = try await form(request)
            guard let as_ = TrackingKind(rawValue: fields["as"] ?? "") else { throw ServiceError(.badRequest, "Raise a finding as a risk or an issue.") }
            let item = try await surveys.raise(projectCode: code, kind: kind, questionID: fields["question"] ?? "", as: as_, as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(Self.path(code, kind))?raised=\(urlEncoded(item.reference))"])
        }
    }

    static func path(_ code: String, _ kind: String) -> String { "/projects/\(urlEncoded(code))/readiness/\(urlEncoded(kind))" }

    func form(_ request: Request) async throws -> [String: String] {
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        return fields
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, form: FormState = FormState(),
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let (project, response) = try await surveys.survey(projectCode: try context.parameters.require("code"),
                                                           kind: try context.parameters.require("kind"), as: user)
        return HTMLResponse.page(SurveyPage(project: project, response: response, csrfToken: context.csrfToken,
                                            canAnswer: user.permits(.recordReadiness), canSignOff: user.permits(.decideGates),
                                            canRaise: user.permits(.recordRisks), form: form, notice: notice).render(), status: status)
    }
}
