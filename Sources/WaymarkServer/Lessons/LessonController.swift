import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The Lessons Learned pages: the programme-wide search, a lesson, recording one from a
/// project, and promotion to guidance by the national office.
struct LessonController {
    let service: LessonService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/lessons") { request, context in try await searchPage(request: request, context: context) }
        router.get("/lessons/:id") { request, context in
            let params = request.queryString
            let notice = params.get("recorded") == "1" ? "Lesson recorded. It is now shared with the whole programme."
                : params.get("promoted") == "1" ? "Lesson promoted to programme guidance." : nil
            return try await lessonPage(id: try Self.lessonID(context), context: context, notice: notice)
        }
        router.post("/lessons/:id/promote") { request, context in
            let id = try Self.lessonID(context)
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            let user = try context.actingUser()
            guard let version = fields["version"].flatMap({ Int($0) }), Set(fields.keys).isSubset(of: ["csrf", "version"]) else {
                try await service.checkPromotable(id: id, as: user)
                return try await lessonPage(id: id, context: context, error: "The form was not one Waymark sent: reload the lesson and promote it again.",
                                            status: .unprocessableContent)
            }
            do {
                _ = try await service.promote(id: id, expectedVersion: version, as: user)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await lessonPage(id: id, context: context, error: refusal.summary, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: Self.path(id) + "?promoted=1"])
        }
        router.post("/projects/:code/lessons") { request, context in
            let code = try context.parameters.require("code")
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            do {
                let lesson = try await service.record(projectCode: code, draft: Self.draft(from: fields), as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: Self.path(lesson.id) + "?recorded=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                let project = try await service.gate.project(code: code, as: try context.actingUser()).0.project
                let page = LessonFormPage(project: project, form: LessonForm(project: project, csrfToken: context.csrfToken,
                                                                             entered: fields, errors: refusal.formErrors))
                return HTMLResponse.page(page.render(), status: refusal.status)
            }
        }
    }

    static func path(_ id: Int64) -> String { "/lessons/\(id)" }

    /// "42" or "LL-000042"; anything else is a lesson that does not exist.
    static func lessonID(_ context: WaymarkRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Lesson.id(fromReference: text) else { throw ServiceError(.notFound, "No lesson has the reference '\(text)'.") }
        return id
    }

    /// The entry as the service takes it. Fields the form does not have are refused by name
    /// (never silently dropped), as are stages and areas that are not on the lists.
    static func draft(from fields: [String: String]) -> LessonService.Draft {
        var errors: [FieldError] = []
        for name in fields.keys.sorted() where !LessonForm.fieldNames.contains(name) && name != "csrf" {
            errors.append(FieldError(field: name, message: "'\(name)' cannot be set from this form."))
        }
        func value(_ name: String) -> String? {
            guard let text = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        let stage = value("stage").flatMap { Int($0) }.flatMap(NSIStage.init(rawValue:))
        if value("stage") != nil, stage == nil { errors.append(FieldError(field: "stage", message: "Choose a stage from 0 to 5.")) }
        let area = value("area").flatMap(AreaOfResponsibility.init(text:))
        if value("area") != nil, area == nil { errors.append(FieldError(field: "area", message: "Choose an area of responsibility from the list.")) }
        return LessonService.Draft(
            stage: stage, area: area, productCode: value("product"), title: fields["title"] ?? "",
            whatHappened: fields["whatHappened"] ?? "", recommendation: fields["recommendation"] ?? "",
            tags: (fields["tags"] ?? "").split(separator: ",").map(String.init), inputErrors: errors)
    }

    func searchPage(request: Request, context: WaymarkRequestContext) async throws -> Response {
        let params = request.queryString
        func value(_ name: String) -> String? {
            guard let v = params.get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return String(v.prefix(200))
        }
        let stage = value("stage").flatMap { Int($0) }.flatMap(NSIStage.init(rawValue:))
        let area = value("area").flatMap(AreaOfResponsibility.init(rawValue:))
        guard (value("stage") == nil || stage != nil), (value("area") == nil || area != nil),
              value("after").map({ Int64($0) != nil }) ?? true else {
            throw ServiceError(.badRequest, "The search filters are not valid: stage must be 0 to 5 and area one of the six areas of responsibility.")
        }
        let search = LessonSearch(text: value("q") ?? "", stage: stage, area: area, productCode: value("product"),
                                  guidanceOnly: value("guidance") != nil, sourceProjectCode: value("project"),
                                  after: value("after").flatMap { Int64($0) }, limit: 25)
        let results = try await service.search(search, as: try context.actingUser())
        return HTMLResponse.page(LessonSearchPage(search: search, results: results).render())
    }

    func lessonPage(id: Int64, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.lessonView(id: id, as: try context.actingUser())
        return HTMLResponse.page(LessonPage(view: view, csrfToken: context.csrfToken, notice: notice, error: error).render(), status: status)
    }
}
