import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The roll-out pages (issue 13): templates, preview, apply, and each template's deviations.
struct RollOutController {
    let rollOuts: RollOutService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/rollout") { request, context in
            try await page(context, notice: request.queryString.get("saved").map { _ in "Template saved." })
        }
        router.get("/rollout/:code") { request, context in
            let user = try context.actingUser()
            let (template, report) = try await rollOuts.deviations(templateCode: try context.parameters.require("code"), as: user)
            let versions = try await rollOuts.templates(as: user).filter { $0.code == template.code }
            return HTMLResponse.page(RollOutTemplatePage(template: template, versions: versions, report: report, csrfToken: context.csrfToken,
                                                         canUpgrade: user.permits(.manageOrganisations) && user.scope == .national && versions.count > 1,
                                                         upgraded: request.queryString.get("upgraded") != nil).render())
        }
        router.post("/rollout/templates") { request, context in
            let fields = try await form(request)
            do {
                _ = try await rollOuts.saveTemplate(TemplateInput(form: fields), as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "/rollout?saved=template"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(context, form: FormState(failedForm: "template", entered: fields, errors: refusal.errors(orOn: "code")), status: refusal.status)
            }
        }
        router.post("/rollout/:code/upgrade") { request, context in
            let fields = try await form(request)
            let code = try context.parameters.require("code")
            let fingerprint = (fields["fingerprint"] ?? "").trimmedWhitespace
            guard !fingerprint.isEmpty else {
                let preview = try await rollOuts.upgradePreview(templateCode: code, as: try context.actingUser())
                return HTMLResponse.page(RollOutUpgradePage(preview: preview, csrfToken: context.csrfToken).render())
            }
            _ = try await rollOuts.upgrade(templateCode: code, expectedFingerprint: fingerprint, as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "/rollout/\(urlEncoded(code))?upgraded=1"])
        }
        router.post("/rollout/preview") { request, context in
            try await run(request, context, apply: false)
        }
        router.post("/rollout/apply") { request, context in
            try await run(request, context, apply: true)
        }
    }

    func form(_ request: Request) async throws -> [String: String] {
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        return fields
    }

    /// The roll-out form, sent as a plain form or (with an uploaded list of sites) as multipart;
    /// the list, typed or uploaded, travels on as one `sites` field of codes.
    func rollOutForm(_ request: Request) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true else { return try await form(request) }
        let parts = try await Multipart.form(request, upTo: Self.maximumListBytes)
        var fields = parts.compactMapValues { $0.filename == nil ? $0.text : nil }
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        let listed = RollOutRequest.siteCodes(fields["sites"] ?? "") + RollOutRequest.siteCodes(parts["sitesFile"]?.text ?? "")
        fields["sites"] = listed.isEmpty ? nil : listed.joined(separator: "\n")
        return fields
    }

    /// An uploaded list of every site in England is about 100 KB.
    static let maximumListBytes = 2 * 1024 * 1024

    func run(_ request: Request, _ context: WaymarkRequestContext, apply: Bool) async throws -> Response {
        let fields = try await rollOutForm(request)
        let user = try context.actingUser()
        do {
            let listed = RollOutRequest.siteCodes(fields["sites"] ?? "")
            let rollOut = RollOutRequest(template: fields["template"] ?? "", within: fields["within"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 },
                                         subtype: fields["subtype"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 },
                                         sites: listed.isEmpty ? nil : listed, waves: try RollOutRequest.waves(fields["waves"] ?? ""))
            let result = apply ? try await rollOuts.apply(rollOut, expectedFingerprint: fields["fingerprint"] ?? "", as: user)
                : try await rollOuts.preview(rollOut, as: user)
            return HTMLResponse.page(RollOutPreviewPage(preview: result, fields: fields, csrfToken: context.csrfToken).render())
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await page(context, form: FormState(failedForm: "rollout", entered: fields, errors: refusal.errors(orOn: "within")), status: refusal.status)
        }
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, form: FormState = FormState(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let templates = try await rollOuts.templates(as: user)
        return HTMLResponse.page(RollOutPage(templates: templates, csrfToken: context.csrfToken, canRollOut: user.permits(.manageOrganisations),
                                             canSaveTemplates: user.permits(.manageOrganisations) && user.scope == .national,
                                             form: form, notice: notice).render(), status: status)
    }
}
