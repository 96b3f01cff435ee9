import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The supplier contracts page and its forms (issue 13). Each form is one command onto
/// `SupplierContractService`; a refusal shows the page again with the entries and errors.
struct SupplierContractController {
    let contracts: SupplierContractService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/contracts") { request, context in
            let notice = request.queryString.get("saved").flatMap { Self.notices[String($0)] }
            return try await page(code: try context.parameters.require("code"), context: context, notice: notice)
        }
        router.post("/organisations/:code/contracts") { request, context in
            try await change(request, context, form: "add", saved: "add") { code, fields, user in
                _ = try await contracts.create(NewSupplierContract(form: fields, organisation: code), as: user)
            }
        }
        router.post("/organisations/:code/contracts/:reference/handover") { request, context in
            let reference = try context.parameters.require("reference")
            return try await change(request, context, form: "handover:\(reference)", saved: "handover") { code, fields, user in
                _ = try await contracts.handover(reference: reference, at: code, SupplierHandover(form: fields), as: user)
            }
        }
        router.post("/organisations/:code/contracts/:reference/end") { request, context in
            let reference = try context.parameters.require("reference")
            return try await change(request, context, form: "end:\(reference)", saved: "end") { code, fields, user in
                _ = try await contracts.end(reference: reference, at: code, on: fields["endsOn"] ?? "",
                                            expectedVersion: fields["version"].flatMap { Int($0) }, as: user)
            }
        }
    }

    static let notices = ["add": "Contract added.", "handover": "Contract handed over.", "end": "Contract ended."]

    func change(_ request: Request, _ context: WaymarkRequestContext, form: String, saved: String,
                _ body: (String, [String: String], ActingUser) async throws -> Void) async throws -> Response {
        let code = try context.parameters.require("code")
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        do {
            try await body(code, fields, try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "/organisations/\(urlEncoded(code))/contracts?saved=\(saved)"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await page(code: code, context: context, form: FormState(failedForm: form, entered: fields, errors: refusal.formErrors),
                                  status: refusal.status)
        }
    }

    func page(code: String, context: WaymarkRequestContext, notice: String? = nil, form: FormState = FormState(),
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let (organisation, listings) = try await contracts.contracts(at: code, as: user)
        return HTMLResponse.page(SupplierContractsPage(organisation: organisation, listings: listings, canManage: user.permits(.manageOrganisations),
                                                       csrfToken: context.csrfToken, notice: notice, form: form).render(), status: status)
    }
}
