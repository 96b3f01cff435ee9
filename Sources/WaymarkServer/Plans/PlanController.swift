import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkInterchange
import WaymarkService

/// The plan pages: view with Gantt and variance, upload, baselines, and exports.
struct PlanController {
    let plans: PlanService
    let csrf: CSRF
    /// Plan files can be large (a 10,000-task MS Project file is a few MB); bigger is refused.
    static let maximumUploadBytes = 32 * 1024 * 1024

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/plan") { request, context in
            let code = try context.parameters.require("code")
            let baseline = request.queryString.get("baseline").map { String($0) }
            let notice: HTML? = request.queryString.get("baseline-saved") == "1"
                ? "<div class=\"notice success\" role=\"status\"><p>Baseline saved.</p></div>" : nil
            return try await page(code: code, context: context, baseline: baseline, notice: notice)
        }
        router.post("/projects/:code/plan") { request, context in
            let code = try context.parameters.require("code")
            let parts = try await Multipart.form(request, upTo: Self.maximumUploadBytes)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            try await plans.checkEditable(code: code, as: try context.actingUser())
            guard let formatName = parts["format"]?.text, let format = PlanFormat(rawValue: formatName),
                  let file = parts["file"], !file.data.isEmpty else {
                return try await page(code: code, context: context, error: "Choose a format and a file to import.", status: .unprocessableContent)
            }
            do {
                let outcome = try await plans.importPlan(code: code, data: Data(file.data), format: format,
                                                         expectedVersion: parts["version"].flatMap { Int($0.text) }, as: try context.actingUser())
                let notes: [HTML] = outcome.notes.prefix(50).map { "<li>\($0.description)</li>" }
                let notice: HTML = """
                    <div class="notice success" role="status"><h2>Plan imported</h2><p>\(outcome.tasks) tasks and \(outcome.dependencies) dependencies from \(file.filename ?? "the file").</p>\
                    \(notes.isEmpty ? HTML.empty : HTML("<p>Not carried over:</p><ul>\(notes)</ul>"))</div>
                    """
                return try await page(code: code, context: context, notice: notice)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(code: code, context: context, error: refusal.detail, status: refusal.status)
            }
        }
        router.post("/projects/:code/plan/baselines") { request, context in
            let code = try context.parameters.require("code")
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            try await plans.checkEditable(code: code, as: try context.actingUser())
            do {
                try await plans.saveBaseline(code: code, name: fields["name"] ?? "", as: try context.actingUser())
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(code: code, context: context, error: refusal.detail, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: Paths.project(code) + "/plan?baseline-saved=1"])
        }
        router.get("/organisations/:code/plans") { request, context in
            let saved = request.queryString.get("saved") == "1" ? "Calendar exception saved." : nil
            return try await programmePage(code: try context.parameters.require("code"), context: context, notice: saved)
        }
        router.post("/organisations/:code/calendar") { request, context in
            let code = try context.parameters.require("code")
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            try await plans.checkCalendarEditable(organisationCode: code, as: try context.actingUser())
            do {
                guard let day = fields["day"].flatMap({ Day(iso: $0) }) else {
                    throw ValidationFailure([FieldError(field: "day", message: "Give the day as YYYY-MM-DD.")])
                }
                try await plans.setCalendarException(organisationCode: code, day: day, working: fields["working"] == "1",
                                                     note: fields["note"] ?? "", as: try context.actingUser())
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await programmePage(code: code, context: context, error: refusal.detail, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: "/organisations/\(urlEncoded(code))/plans?saved=1"])
        }
        router.get("/projects/:code/milestones.ics") { _, context in
            let code = try context.parameters.require("code")
            return Self.calendarResponse(try await plans.programme.milestoneFeed(projectCode: code, as: try context.actingUser()), name: code)
        }
        router.get("/organisations/:code/milestones.ics") { _, context in
            let code = try context.parameters.require("code")
            return Self.calendarResponse(try await plans.programme.milestoneFeed(organisationCode: code, as: try context.actingUser()), name: code)
        }
        for (suffix, format, type) in [("xml", PlanFormat.mspdi, "application/xml"), ("xer", .xer, "application/octet-stream"),
                                       ("csv", .csv, "text/csv; charset=utf-8")] {
            router.get("/projects/:code/plan.\(suffix)") { _, context in
                let code = try context.parameters.require("code")
                let data = try await plans.exportPlan(code: code, format: format, as: try context.actingUser())
                return Response(status: .ok, headers: [
                    .contentType: type, .contentDisposition: "attachment; filename=\"\(code.filter { $0.isLetter || $0.isNumber || $0 == "-" })-plan.\(suffix)\"",
                    .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    static func calendarResponse(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/calendar; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name.filter { $0.isLetter || $0.isNumber || $0 == "-" })-milestones.ics\"",
            .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func programmePage(code: String, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await plans.programmePlans(organisationCode: code, as: try context.actingUser())
        return HTMLResponse.page(ProgrammePlansPage(view: view, csrfToken: context.csrfToken, notice: notice, error: error).render(),
                                 status: status)
    }

    func page(code: String, context: WaymarkRequestContext, baseline: String? = nil, notice: HTML? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await plans.planView(code: code, as: try context.actingUser())
        return HTMLResponse.page(PlanPage(view: view, baselineName: baseline, csrfToken: context.csrfToken, notice: notice, error: error).render(),
                                 status: status)
    }
}
