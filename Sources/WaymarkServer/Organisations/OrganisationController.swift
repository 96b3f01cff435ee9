import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The organisation management pages (issue 13): details, add below, move and close. Each
/// form is one `OrganisationChange` onto `OrganisationService`; a refusal shows the page again.
struct OrganisationController {
    let organisations: OrganisationService
    let programme: ProgrammeService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/import") { _, context in
            try await organisations.requireNational(as: try context.actingUser())
            return HTMLResponse.page(OrganisationImportPage(csrfToken: context.csrfToken).render())
        }
        router.post("/organisations/import") { request, context in
            let parts = try await Multipart.form(request, upTo: OrganisationService.maximumImportBytes + 64 * 1024)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            let user = try context.actingUser()
            let fingerprint = parts["fingerprint"]?.text
            do {
                guard let file = parts["file"], !file.data.isEmpty else {
                    try await organisations.requireNational(as: user)
                    return HTMLResponse.page(OrganisationImportPage(csrfToken: context.csrfToken, error: "Choose the CSV file to import.").render(),
                                             status: .unprocessableContent)
                }
                let data = Data(file.data)
                let page = fingerprint == nil || fingerprint == ""
                    ? OrganisationImportPage(csrfToken: context.csrfToken, preview: try await organisations.previewImport(data, as: user))
                    : OrganisationImportPage(csrfToken: context.csrfToken,
                                             applied: try await organisations.applyImport(data, expectedFingerprint: fingerprint, as: user))
                return HTMLResponse.page(page.render())
            } catch let rejected as ImportRejected {
                return HTMLResponse.page(OrganisationImportPage(csrfToken: context.csrfToken, problems: rejected.problems).render(),
                                         status: .unprocessableContent)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return HTMLResponse.page(OrganisationImportPage(csrfToken: context.csrfToken, error: refusal.summary).render(), status: refusal.status)
            }
        }
        router.get("/organisations/:code/manage") { request, context in
            let code = try context.parameters.require("code")
            let notice = request.queryString.get("saved").flatMap { Self.notices[String($0)] }
            return try await page(code: code, context: context, notice: notice)
        }
        router.post("/organisations/:code") { request, context in
            try await change(request, context, form: "edit") { code, fields, user in
                try await organisations.update(code: code, OrganisationChange(form: fields), as: user).code
            }
        }
        router.post("/organisations/:code/children") { request, context in
            try await change(request, context, form: "add") { code, fields, user in
                // The organisation in the address is the record this touches: 404, then 403.
                _ = try await organisations.gate.organisation(code: code, for: .manageOrganisations, as: user)
                var change = OrganisationChange(form: fields)
                change.parent = fields["kind"] == OrganisationKind.supplier.rawValue ? nil : code
                change.expectedVersion = nil
                return try await organisations.create(change, as: user).code
            }
        }
        router.post("/organisations/:code/projects") { request, context in
            try await change(request, context, form: "project", redirect: { "/projects/\(urlEncoded($0))" }) { code, fields, user in
                try await ProjectLifecycleService(programme: programme).create(NewProject(form: fields, organisation: code), as: user).code
            }
        }
        router.post("/organisations/:code/move") { request, context in
            try await change(request, context, form: "move") { code, fields, user in
                try await organisations.move(code: code, to: fields["parent"] ?? "", expectedVersion: fields["version"].flatMap { Int($0) },
                                             as: user).code
            }
        }
        router.post("/organisations/:code/close") { request, context in
            try await change(request, context, form: "close") { code, fields, user in
                let text = (fields["closedOn"] ?? "").trimmedWhitespace
                guard text.isEmpty || Day(iso: text) != nil else {
                    _ = try await organisations.gate.organisation(code: code, for: .manageOrganisations, as: user)
                    throw ValidationFailure([FieldError(field: "closedOn", message: "Enter the closing date as YYYY-MM-DD, or leave it empty for today.")])
                }
                return try await organisations.close(code: code, on: Day(iso: text), expectedVersion: fields["version"].flatMap { Int($0) },
                                                     as: user).code
            }
        }
    }

    static let notices = ["edit": "Details saved.", "add": "Organisation added.", "move": "Organisation moved.", "close": "Organisation closed."]

    /// Runs one form: CSRF, then the change; success redirects to the organisation it names,
    /// a refusal shows the page again with the form's entries and errors.
    func change(_ request: Request, _ context: WaymarkRequestContext, form: String, redirect: ((String) -> String)? = nil,
                _ body: (String, [String: String], ActingUser) async throws -> String) async throws -> Response {
        let code = try context.parameters.require("code")
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        do {
            let target = try await body(code, fields, try context.actingUser())
            let location = redirect?(target) ?? "/organisations/\(urlEncoded(target))/manage?saved=\(form)"
            return Response(status: .seeOther, headers: [.location: location])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await page(code: code, context: context, failedForm: form, entered: fields, errors: refusal.formErrors,
                                  status: refusal.status)
        }
    }

    func page(code: String, context: WaymarkRequestContext, notice: String? = nil, failedForm: String? = nil,
              entered: [String: String] = [:], errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let organisation = try await organisations.gate.organisation(code: code, for: .manageOrganisations, as: user).0
        let parent = try await programme.ancestors(of: organisation, as: user).last
        return HTMLResponse.page(OrganisationManagePage(organisation: organisation, parent: parent, csrfToken: context.csrfToken,
                                                        notice: notice, form: FormState(failedForm: failedForm, entered: entered, errors: errors)).render(),
                                 status: status)
    }
}
