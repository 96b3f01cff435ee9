import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The training pages (issue 15): courses and the LMS import, a project's training needs
/// analysis, sessions, bookings, attendance and evaluations.
struct TrainingController {
    let training: TrainingService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/training/courses") { request, context in
            try await courses(context, notice: request.queryString.get("added").map { _ in "Course added." })
        }
        router.post("/training/courses") { request, context in
            let fields = try await form(request)
            do {
                let course = Course(code: fields["code"] ?? "", title: fields["title"] ?? "", mode: Course.Mode(rawValue: fields["mode"] ?? "") ?? .classroom,
                                    requiresBasicSkills: fields["requiresBasicSkills"] != nil,
                                    validForDays: try Self.number(fields["validForDays"], field: "validForDays"))
                _ = try await training.saveCourse(course, expectedVersion: nil, as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.courses)?added=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await courses(context, form: FormState(failedForm: "course", entered: fields, errors: refusal.formErrors), status: refusal.status)
            }
        }
        router.post("/training/results") { request, context in
            let parts = try await Multipart.form(request, upTo: TrainingService.maximumImportBytes + 64 * 1024)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            do {
                guard let file = parts["file"], !file.data.isEmpty else {
                    _ = try await training.gate.authorise(.manageTraining, as: try context.actingUser())
                    throw ValidationFailure([FieldError(field: "file", message: "Choose the CSV file to import.")])
                }
                let count = try await training.importResults(Data(file.data), as: try context.actingUser())
                return try await courses(context, notice: "Imported \(count) results.")
            } catch let rejected as ImportRejected {
                return try await courses(context, problems: rejected.problems, status: .unprocessableContent)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await courses(context, error: refusal.summary, status: refusal.status)
            }
        }
        router.get("/projects/:code/training-needs") { request, context in
            try await needs(context, notice: request.queryString.get("saved").map { _ in "Training needs analysis saved." })
        }
        router.post("/projects/:code/training-needs") { request, context in
            let fields = try await form(request)
            let code = try context.parameters.require("code")
            do {
                let lines = (fields["needs"] ?? "").split(whereSeparator: \.isNewline).map { $0.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init) }
                    .filter { !$0.isEmpty }
                _ = try await training.setTrainingNeeds(projectCode: code, lines.map { TrainingNeed(jobRole: $0[0], courseCode: $0.count > 1 ? $0[1] : "") },
                                                        as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.needs(code))?saved=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await needs(context, error: refusal.summary, status: refusal.status)
            }
        }
        router.get("/organisations/:code/training-sessions") { request, context in
            try await sessions(context, notice: request.queryString.get("added").map { _ in "Session added." })
        }
        router.post("/organisations/:code/training-sessions") { request, context in
            let fields = try await form(request)
            do {
                let user = try context.actingUser()
                _ = try await training.gate.organisation(code: try context.parameters.require("code"), for: .manageTraining, as: user)
                let session = try await training.createSession(
                    courseCode: fields["course"] ?? "", site: fields["site"] ?? "", venue: fields["venue"] ?? "", on: fields["on"] ?? "",
                    trainerID: try Self.number(fields["trainer"], field: "trainer").map(Int64.init) ?? 0,
                    capacity: try Self.number(fields["capacity"], field: "capacity") ?? 0, as: user)
                return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.session(session.id))?added=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await sessions(context, form: FormState(failedForm: "session", entered: fields, errors: refusal.formErrors), status: refusal.status)
            }
        }
        router.get("/training-sessions/:id") { request, context in
            try await session(context, notice: request.queryString.get("done").map { _ in "Saved." })
        }
        router.post("/training-sessions/:id/bookings") { request, context in
            try await write(request, context) { id, fields, user in
                _ = try await training.book(sessionID: id, staffID: try Self.staff(fields), waitingList: fields["waitingList"] != nil,
                                            expectedVersion: StaffController.version(fields), as: user)
            }
        }
        router.post("/training-sessions/:id/bookings/:staff/cancel") { request, context in
            let staffID = Int64(try context.parameters.require("staff")) ?? 0
            return try await write(request, context) { id, fields, user in
                try await training.cancelBooking(sessionID: id, staffID: staffID, expectedVersion: StaffController.version(fields), as: user)
            }
        }
        router.post("/training-sessions/:id/attendance") { request, context in
            try await write(request, context) { id, fields, user in
                try await training.recordAttendance(sessionID: id, staffID: try Self.staff(fields), attended: fields["attended"] == "yes",
                                                    result: fields["result"], expectedVersion: StaffController.version(fields), as: user)
            }
        }
        router.post("/training-sessions/:id/evaluations") { request, context in
            try await write(request, context) { id, fields, user in
                let ratings = Evaluation.questions.indices.map { Int(fields["rating\($0)"] ?? "") ?? 0 }
                try await training.evaluate(sessionID: id, staffID: try Self.staff(fields), ratings: ratings, comment: fields["comment"] ?? "", as: user)
            }
        }
    }

    static func number(_ text: String?, field: String) throws -> Int? {
        guard let text = text?.trimmedWhitespace, !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw ValidationFailure([FieldError(field: field, message: "Give a whole number.")]) }
        return value
    }

    static func staff(_ fields: [String: String]) throws -> Int64 {
        guard let id = Int64(fields["staff"] ?? ""), id > 0 else { throw ValidationFailure([FieldError(field: "staff", message: "Give the person's staff record number.")]) }
        return id
    }

    static func id(_ context: WaymarkRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else { throw ServiceError(.notFound, "There is no such training session.") }
        return id
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    func write(_ request: Request, _ context: WaymarkRequestContext, _ body: (Int64, [String: String], ActingUser) async throws -> Void) async throws -> Response {
        let id = try Self.id(context)
        let fields = try await form(request)
        do {
            try await body(id, fields, try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.session(id))?done=1"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            do { return try await session(context, error: refusal.summary, status: refusal.status) } catch _ as ServiceError { throw error }
        }
    }

    func courses(_ context: WaymarkRequestContext, form: FormState = FormState(), problems: [ImportProblem] = [], notice: String? = nil, error: String? = nil,
                 status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        return HTMLResponse.page(CoursesPage(courses: try await training.courses(as: user), canManage: user.permits(.manageTraining), csrfToken: context.csrfToken,
                                             form: form, problems: problems, notice: notice, error: error).render(), status: status)
    }

    func needs(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let (project, needs) = try await training.trainingNeeds(projectCode: try context.parameters.require("code"), as: user)
        return HTMLResponse.page(TrainingNeedsPage(project: project, needs: needs, courses: try await training.courses(as: user), canManage: user.permits(.manageTraining),
                                                   csrfToken: context.csrfToken, notice: notice, error: error).render(), status: status)
    }

    func sessions(_ context: WaymarkRequestContext, form: FormState = FormState(), notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let (organisation, sessions) = try await training.sessions(organisationCode: try context.parameters.require("code"), as: user)
        return HTMLResponse.page(TrainingSessionsPage(organisation: organisation, sessions: sessions, courses: try await training.courses(as: user),
                                                      canManage: user.permits(.manageTraining), csrfToken: context.csrfToken, form: form, notice: notice).render(),
                                 status: status)
    }

    func session(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let view = try await training.session(id: try Self.id(context), as: user)
        return HTMLResponse.page(TrainingSessionPage(view: view, user: user, csrfToken: context.csrfToken, notice: notice, error: error).render(), status: status)
    }
}
