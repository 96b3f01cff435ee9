import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// Stage gates, the hazard log with the safety-case sign-off, and gate roll-ups.
struct GateController {
    let gates: GateService
    let hazards: HazardService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/gates") { request, context in
            let notice = request.queryString.get("decided") == "1" ? "Gate decision recorded with its evidence." : nil
            return try await gatePage(code: try context.parameters.require("code"), context: context, notice: notice)
        }
        router.post("/projects/:code/gates") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            // 404 out of scope, then 403 without the permission, before the form is checked.
            let user = try context.actingUser()
            _ = try await gates.gate.project(code: code, for: .decideGates, as: user)
            guard let stage = fields["stage"].flatMap({ Int($0) }).flatMap(NSIStage.init(rawValue:)) else {
                return try await gatePage(code: code, context: context, error: "Choose the gate to decide.", status: .unprocessableContent)
            }
            do {
                _ = try await gates.decide(projectCode: code, stage: stage, override: fields["override"] == "1", reason: fields["reason"],
                                           as: user)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await gatePage(code: code, context: context, error: refusal.summary, status: refusal.status, reason: fields["reason"])
            }
            return Response(status: .seeOther, headers: [.location: DocumentHTML.gates(code) + "?decided=1"])
        }
        router.get("/organisations/:code/gates") { _, context in
            let (organisation, rollUp) = try await gates.rollUp(organisationCode: try context.parameters.require("code"), as: try context.actingUser())
            return HTMLResponse.page(GateRollUpPage(organisation: organisation, rollUp: rollUp).render())
        }
        router.get("/projects/:code/hazards") { request, context in
            let params = request.queryString
            let notice = params.get("saved") == "1" ? "Hazard saved." : params.get("signed") == "1" ? "Safety case signed." : nil
            return try await hazardPage(code: try context.parameters.require("code"), context: context, notice: notice)
        }
        router.post("/projects/:code/hazards") { request, context in
            try await saveHazard(request: request, context: context, editing: nil)
        }
        router.get("/projects/:code/hazards/:id") { _, context in
            try await hazardEditPage(code: try context.parameters.require("code"), id: try Self.hazardID(context), context: context)
        }
        router.post("/projects/:code/hazards/:id") { request, context in
            guard let id = try Self.hazardID(context) else {
                // An address that names no hazard: scope and permission first, as for every write.
                let code = try context.parameters.require("code")
                _ = try await hazards.hazardLog(projectCode: code, as: try context.actingUser())
                _ = try await hazards.gate.authorise(.recordHazards, as: try context.actingUser())
                throw ServiceError(.notFound, "\(code) has no hazard at this address.")
            }
            return try await saveHazard(request: request, context: context, editing: id)
        }
        router.post("/projects/:code/safety-case") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            do {
                _ = try await hazards.signSafetyCase(projectCode: code, statement: fields["statement"] ?? "", as: try context.actingUser())
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await hazardPage(code: code, context: context, status: refusal.status, statementErrors: refusal.formErrors,
                                            statement: fields["statement"])
            }
            return Response(status: .seeOther, headers: [.location: DocumentHTML.hazards(code) + "?signed=1"])
        }
    }

    static func hazardID(_ context: WaymarkRequestContext) throws -> Int64? {
        let text = try context.parameters.require("id").uppercased()
        return Int64(text.hasPrefix("HAZ-") ? String(text.dropFirst(4)) : text)
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    /// Raises (`id` nil) or updates a hazard. A refusal shows the same form again with the
    /// entries kept and each error beside its field; a stale edit shows the hazard as it is now.
    func saveHazard(request: Request, context: WaymarkRequestContext, editing hazardID: Int64?) async throws -> Response {
        let code = try context.parameters.require("code")
        let fields = try await form(request)
        do {
            _ = try await hazards.save(projectCode: code, id: hazardID, expectedVersion: fields["version"].flatMap { Int($0) },
                                       draft: HazardForm.draft(from: fields), as: try context.actingUser())
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            // A stale edit shows the hazard as it is now; any other refusal keeps the entries.
            let stale = refusal.status == .preconditionFailed
            if let hazardID {
                return stale ? try await hazardEditPage(code: code, id: hazardID, context: context, error: refusal.detail, status: refusal.status)
                    : try await hazardEditPage(code: code, id: hazardID, context: context, errors: refusal.formErrors, status: refusal.status, entered: fields)
            }
            return try await hazardPage(code: code, context: context, status: refusal.status, entered: fields, errors: refusal.formErrors)
        }
        return Response(status: .seeOther, headers: [.location: DocumentHTML.hazards(code) + "?saved=1"])
    }

    func hazardEditPage(code: String, id: Int64?, context: WaymarkRequestContext, error: String? = nil, errors: [FieldError] = [],
                        status: HTTPResponse.Status = .ok, entered: [String: String] = [:]) async throws -> Response {
        let log = try await hazards.hazardLog(projectCode: code, as: try context.actingUser())
        guard let id, let hazard = log.hazards.first(where: { $0.id == id }) else {
            throw ServiceError(.notFound, "\(code) has no such hazard.")
        }
        return HTMLResponse.page(HazardEditPage(log: log, hazard: hazard, csrfToken: context.csrfToken, error: error, errors: errors,
                                                entered: entered).render(), status: status)
    }

    func gatePage(code: String, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                  status: HTTPResponse.Status = .ok, reason: String? = nil) async throws -> Response {
        let view = try await gates.gateView(projectCode: code, as: try context.actingUser())
        return HTMLResponse.page(GatePage(view: view, csrfToken: context.csrfToken, notice: notice, error: error, reason: reason).render(),
                                 status: status)
    }

    func hazardPage(code: String, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                    status: HTTPResponse.Status = .ok, entered: [String: String] = [:], errors: [FieldError] = [],
                    statementErrors: [FieldError] = [], statement: String? = nil) async throws -> Response {
        let log = try await hazards.hazardLog(projectCode: code, as: try context.actingUser())
        return HTMLResponse.page(HazardLogPage(log: log, csrfToken: context.csrfToken, notice: notice, error: error, entered: entered,
                                               errors: errors, statementErrors: statementErrors, statement: statement).render(),
                                 status: status)
    }
}
