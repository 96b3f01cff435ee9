import Hummingbird
import WaymarkCore
import WaymarkService

/// The change control pages: Change Control Notes, the Change Review Board and the DIPs. Every
/// POST checks its CSRF token, then scope (404) and role (403), before reading the form (422).
struct ChangeControlController {
    let service: ChangeControlService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/changes") { request, context in
            let params = request.queryString
            let state = try params.get("state").map { raw in
                guard let state = ChangeState(rawValue: String(raw)) else { throw ServiceError(.badRequest, "Unknown state '\(raw.prefix(40))'.") }
                return state
            }
            let after = params.get("after").flatMap { Int64(String($0)) }
            return try await listPage(code: try context.parameters.require("code"), state: state, after: after, context: context)
        }
        router.post("/organisations/:code/changes") { request, context in
            let code = try context.parameters.require("code")
            let user = try context.actingUser()
            var form = try await ChangeForm.read(request, csrf: csrf, allowed: Self.raiseFields)
            try await service.checkOrganisation(code: code, for: .manageChanges, as: user)
            do {
                let note = try await service.raise(at: code, Self.noteInput(&form), as: user)
                return Self.redirect(ChangeControlHTML.note(note.id) + "?saved=raised")
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await listPage(code: code, state: nil, after: nil, context: context, entered: form.fields, errors: refusal.formErrors,
                                          status: refusal.status)
            }
        }
        router.get("/changes/:id") { request, context in
            let saved = request.queryString.get("saved").flatMap { Self.notices[String($0)] }
            return try await notePage(id: try Self.id(context), context: context, notice: saved)
        }
        router.post("/changes/:id/transition") { request, context in
            try await notePost(request, context, form: "transition", allowed: ["version", "state"], activity: .manageChanges) { form, user, id in
                let target = form.choice("state", ChangeState.self)
                try Self.check(form)
                _ = try await service.transition(id: id, to: target, expectedVersion: form.version, as: user)
            }
        }
        router.post("/changes/:id/assessments") { request, context in
            try await notePost(request, context, form: "assessment", allowed: ["version", "discipline", "assessor", "recommendation"],
                               activity: .manageChanges) { form, user, id in
                let discipline = form.choice("discipline", AssessorDiscipline.self)
                try Self.check(form)
                _ = try await service.recordAssessment(id: id, discipline: discipline, assessor: form.text("assessor"),
                                                       recommendation: form.text("recommendation"), expectedVersion: form.version, as: user)
            }
        }
        router.post("/changes/:id/decision") { request, context in
            try await notePost(request, context, form: "decision", allowed: ["version", "meeting", "outcome", "reason"],
                               activity: .decideChanges) { form, user, id in
                let outcome = form.choice("outcome", DecisionOutcome.self)
                let meeting = form.integer("meeting", "The meeting")
                try Self.check(form)
                _ = try await service.decide(id: id, meetingID: meeting, outcome: outcome, reason: form.text("reason"),
                                             expectedVersion: form.version, as: user)
            }
        }
        registerBoard(on: router)
        registerDIP(on: router)
        registerDIPSetup(on: router)
    }

    static let raiseFields: Set<String> = ["type", "title", "description", "reason", "impactRisk", "impactIssues", "impactFunctionality",
                                           "impactCost", "costPounds", "impactTime", "timeWorkingDays", "projects", "milestones", "dipLines", "cluster"]
    static let notices = ["raised": "Change Control Note raised.", "transition": "The note moved on.", "assessment": "Assessment recorded.",
                          "decision": "The board's decision is recorded.", "meeting": "Meeting recorded.", "member": "Board membership saved.",
                          "line": "DIP line saved.", "agreed": "The DIP is agreed."]

    static func noteInput(_ form: inout ChangeForm) -> ChangeNoteInput {
        let type = form.choice("type", ChangeType.self)
        let impact = ChangeImpact(risk: form.text("impactRisk"), issues: form.text("impactIssues"), functionality: form.text("impactFunctionality"),
                                  cost: form.text("impactCost"), costPounds: form.integer("costPounds", "The cost"), time: form.text("impactTime"),
                                  timeWorkingDays: form.integer("timeWorkingDays", "The time impact").map { Int(clamping: $0) })
        var input = ChangeNoteInput(type: type, title: form.text("title"), description: form.text("description"), reason: form.text("reason"),
                                    impact: impact, clusterCode: form.value("cluster"))
        input.parseLists(projects: form.text("projects"), milestones: form.text("milestones"), dipLines: form.text("dipLines"))
        input.errors = form.errors + input.errors
        return input
    }

    static func check(_ form: ChangeForm) throws {
        if !form.errors.isEmpty { throw ValidationFailure(form.errors) }
    }

    static func id(_ context: WaymarkRequestContext, _ name: String = "id") throws -> Int64 {
        guard let id = Int64(try context.parameters.require(name)) else { throw ServiceError(.notFound, "There is no record with that number.") }
        return id
    }

    static func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }

    /// A form on a note's page: checked for scope and role first, then re-shown with its
    /// refusal (at `ErrorTable`'s status), or redirected to the page on success.
    func notePost(_ request: Request, _ context: WaymarkRequestContext, form name: String, allowed: Set<String>, activity: Activity,
                  _ body: (inout ChangeForm, ActingUser, Int64) async throws -> Void) async throws -> Response {
        let id = try Self.id(context)
        let user = try context.actingUser()
        var form = try await ChangeForm.read(request, csrf: csrf, allowed: allowed)
        try await service.checkNote(id: id, for: activity, as: user)
        do {
            try await body(&form, user, id)
            return Self.redirect(ChangeControlHTML.note(id) + "?saved=\(name)")
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await notePage(id: id, context: context, failedForm: name, entered: form.fields,
                                      errors: refusal.errors(orOn: "version"), status: refusal.status)
        }
    }

    func listPage(code: String, state: ChangeState?, after: Int64?, context: WaymarkRequestContext, entered: [String: String] = [:],
                  errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let list = try await service.notes(organisationCode: code, state: state, after: after, as: try context.actingUser())
        return HTMLResponse.page(ChangeNoteListPage(list: list, csrfToken: context.csrfToken, entered: entered, errors: errors).render(), status: status)
    }

    func notePage(id: Int64, context: WaymarkRequestContext, notice: String? = nil, failedForm: String? = nil, entered: [String: String] = [:],
                  errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.noteView(id: id, as: try context.actingUser())
        return HTMLResponse.page(ChangeNotePage(view: view, csrfToken: context.csrfToken, notice: notice, failedForm: failedForm,
                                                entered: entered, errors: errors).render(), status: status)
    }
}
