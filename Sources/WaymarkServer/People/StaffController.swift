import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The staff and registration pages (issue 15): the list with add and import, and each
/// person's page, whose forms take their registration through its steps. A refusal shows on
/// the page beside the form that was sent.
struct StaffController {
    let staff: StaffService
    let registrations: RegistrationService
    let training: TrainingService
    let csrf: CSRF

    static let notices = ["added": "Person added.", "saved": "Record saved.", "applied": "RA application started.", "identity": "Identity check recorded.",
                          "approved": "Access profile approved.", "card": "Smartcard recorded.", "granted": "Access granted.", "changed": "Smartcard changed.",
                          "renewed": "Smartcard renewed.", "qualified": "Trainer qualification recorded."]

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/staff") { request, context in
            try await list(request, context)
        }
        router.post("/organisations/:code/staff") { request, context in
            let fields = try await form(request)
            let user = try context.actingUser()
            do {
                // The organisation in the address is the record this touches: 404, then 403.
                _ = try await staff.gate.organisation(code: try context.parameters.require("code"), for: .manageStaff, as: user)
                let added = try await staff.add(StaffChange(form: fields), as: user)
                return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.person(added.id))?done=added"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await list(request, context, form: FormState(failedForm: "add", entered: fields, errors: refusal.formErrors),
                                      status: refusal.status)
            }
        }
        router.post("/organisations/:code/staff/import") { request, context in
            let parts = try await Multipart.form(request, upTo: StaffService.maximumImportBytes + 64 * 1024)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            let user = try context.actingUser()
            do {
                _ = try await staff.gate.organisation(code: try context.parameters.require("code"), for: .manageStaff, as: user)
                guard let file = parts["file"], !file.data.isEmpty else { throw ValidationFailure([FieldError(field: "file", message: "Choose the CSV file to import.")]) }
                let outcome = try await staff.importCSV(Data(file.data), as: user)
                return try await list(request, context, notice: "Imported: \(outcome.added) added, \(outcome.updated) updated.")
            } catch let rejected as ImportRejected {
                return try await list(request, context, problems: rejected.problems, status: .unprocessableContent)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await list(request, context, error: refusal.summary, status: refusal.status)
            }
        }
        router.get("/staff/:id") { request, context in
            try await person(context, notice: request.queryString.get("done").flatMap { Self.notices[String($0)] })
        }
        router.post("/staff/:id") { request, context in
            try await write(request, context, form: "edit", done: "saved") { id, fields, user in
                _ = try await staff.update(id: id, StaffChange(form: fields), as: user)
            }
        }
        router.post("/staff/:id/registration") { request, context in
            try await write(request, context, form: "apply", done: "applied") { id, _, user in _ = try await registrations.apply(staffID: id, as: user) }
        }
        router.post("/staff/:id/registration/identity-check") { request, context in
            try await write(request, context, form: "identity", done: "identity") { id, fields, user in
                let documents = IdentityDocument.allCases.filter { fields["document.\($0.rawValue)"] != nil }.map(\.rawValue)
                _ = try await registrations.checkIdentity(staffID: id, documents: documents, expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/registration/approval") { request, context in
            try await write(request, context, form: "approval", done: "approved") { id, fields, user in
                let positions = (0..<3).compactMap { i -> RegistrationService.PositionInput? in
                    guard let role = fields["positions[\(i)].jobRole"], !role.isEmpty else { return nil }
                    return .init(jobRole: role, organisation: fields["positions[\(i)].organisation"] ?? "", workgroup: fields["positions[\(i)].workgroup"] ?? "")
                }
                let products = (fields["products"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
                _ = try await registrations.approve(staffID: id, positions: positions, products: products, expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/registration/smartcard") { request, context in
            try await write(request, context, form: "card", done: "card") { id, fields, user in
                _ = try await registrations.issueCard(staffID: id, uuid: fields["uuid"] ?? "", expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/registration/grant") { request, context in
            try await write(request, context, form: "grant", done: "granted") { id, fields, user in
                _ = try await registrations.grant(staffID: id, overrideReason: fields["overrideReason"], expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/smartcards/:uuid") { request, context in
            let uuid = try context.parameters.require("uuid")
            return try await write(request, context, form: "cards", done: "changed") { id, fields, user in
                _ = try await registrations.changeCard(staffID: id, uuid: uuid, action: fields["action"] ?? "", expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/smartcards/:uuid/renew") { request, context in
            let uuid = try context.parameters.require("uuid")
            return try await write(request, context, form: "cards", done: "renewed") { id, fields, user in
                _ = try await registrations.renewCard(staffID: id, uuid: uuid, newUUID: fields["newUUID"] ?? "", expectedVersion: Self.version(fields), as: user)
            }
        }
        router.post("/staff/:id/qualifications") { request, context in
            try await write(request, context, form: "qualify", done: "qualified") { id, fields, user in
                _ = try await training.qualify(staffID: id, courseCode: fields["course"] ?? "", on: fields["qualifiedOn"], as: user)
            }
        }
    }

    static func version(_ fields: [String: String]) -> Int? { fields["version"].flatMap { Int($0) } }

    static func id(_ context: WaymarkRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else { throw ServiceError(.notFound, "There is no such staff record.") }
        return id
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    /// Runs one write on a person from its form, then back to their page; a refusal shows there.
    func write(_ request: Request, _ context: WaymarkRequestContext, form name: String, done: String,
               _ body: (Int64, [String: String], ActingUser) async throws -> Void) async throws -> Response {
        let id = try Self.id(context)
        let fields = try await form(request)
        do {
            try await body(id, fields, try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.person(id))?done=\(done)"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            // With no page the actor may see, the refusal itself is the answer.
            do {
                return try await person(context, form: FormState(failedForm: name, entered: fields, errors: refusal.formErrors),
                                        status: refusal.status)
            } catch _ as ServiceError { throw error }
        }
    }

    func person(_ context: WaymarkRequestContext, form: FormState = FormState(), notice: String? = nil, error: String? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let view = try await staff.person(id: try Self.id(context), as: user)
        return HTMLResponse.page(PersonPage(view: view, user: user, csrfToken: context.csrfToken, form: form, notice: notice, error: error).render(), status: status)
    }

    func list(_ request: Request, _ context: WaymarkRequestContext, form: FormState = FormState(), problems: [ImportProblem] = [],
              notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let text = request.queryString.get("q").map { String($0) }
        let (organisation, page) = try await staff.list(organisationCode: try context.parameters.require("code"), text: text, jobRole: nil,
                                                        after: request.queryString.get("after").flatMap { Int64($0) }, as: user)
        return HTMLResponse.page(StaffListPage(organisation: organisation, page: page, text: text, canManage: user.permits(.manageStaff),
                                               csrfToken: context.csrfToken, form: form, problems: problems, notice: notice, error: error).render(), status: status)
    }
}
