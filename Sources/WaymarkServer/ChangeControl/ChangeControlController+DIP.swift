import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The Change Review Board and DIP routes.
extension ChangeControlController {
    func registerBoard(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/change-board") { request, context in
            let saved = request.queryString.get("saved").flatMap { Self.notices[String($0)] }
            return try await boardPage(code: try context.parameters.require("code"), context: context, notice: saved)
        }
        router.post("/organisations/:code/change-board/meetings") { request, context in
            try await boardPost(request, context, allowed: ["heldOn", "minutes"], saved: "meeting") { form, user, code in
                let day = form.day("heldOn", "the meeting's date")
                try Self.check(form)
                _ = try await service.addMeeting(organisationCode: code, heldOn: day, minutes: form.text("minutes"), as: user)
            }
        }
        router.post("/organisations/:code/change-board/members") { request, context in
            try await boardPost(request, context, allowed: ["username", "name", "representing", "remove"], saved: "member") { form, user, code in
                try Self.check(form)
                try await service.setMember(organisationCode: code, username: form.text("username"), name: form.text("name"),
                                            representing: form.text("representing"), remove: form.value("remove") == "1", as: user)
            }
        }
    }

    func boardPost(_ request: Request, _ context: WaymarkRequestContext, allowed: Set<String>, saved: String,
                   _ body: (inout ChangeForm, ActingUser, String) async throws -> Void) async throws -> Response {
        let code = try context.parameters.require("code")
        let user = try context.actingUser()
        var form = try await ChangeForm.read(request, csrf: csrf, allowed: allowed)
        try await service.checkOrganisation(code: code, for: .manageChanges, as: user)
        do {
            try await body(&form, user, code)
            return Self.redirect(ChangeControlHTML.board(code) + "?saved=\(saved)")
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await boardPage(code: code, context: context, entered: form.fields, errors: refusal.formErrors, status: refusal.status)
        }
    }

    func boardPage(code: String, context: WaymarkRequestContext, notice: String? = nil, entered: [String: String] = [:],
                   errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.boardView(organisationCode: code, as: try context.actingUser())
        return HTMLResponse.page(ChangeBoardPage(view: view, csrfToken: context.csrfToken, notice: notice, entered: entered, errors: errors).render(),
                                 status: status)
    }

    func registerDIP(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/dip") { request, context in
            let year = try request.queryString.get("year").map { raw in
                guard let year = FinancialYear(label: String(raw)) else {
                    throw ServiceError(.badRequest, "Give the financial year like 2026/27, not '\(raw.prefix(20))'.")
                }
                return year
            }
            let view = try await service.performance(organisationCode: try context.parameters.require("code"), year: year, as: try context.actingUser())
            return HTMLResponse.page(DIPPerformancePage(view: view).render())
        }
        router.get("/organisations/:code/dips/:id") { request, context in
            let params = request.queryString
            return try await dipPage(code: try context.parameters.require("code"), id: try Self.id(context), context: context,
                                     editing: params.get("edit").flatMap { Int(String($0)) },
                                     notice: params.get("saved").flatMap { Self.notices[String($0)] })
        }
        router.post("/organisations/:code/dips/:id/lines") { request, context in
            try await dipPost(request, context, line: nil, allowed: Self.lineFields.subtracting(["version", "remove"])) { form, user, code, id in
                _ = try await service.addLine(organisationCode: code, dipID: id, Self.lineInput(&form), as: user)
            }
        }
        router.post("/organisations/:code/dips/:id/lines/:line") { request, context in
            let number = Int(try context.parameters.require("line")) ?? 0
            return try await dipPost(request, context, line: number, allowed: Self.lineFields) { form, user, code, id in
                _ = try await service.editLine(organisationCode: code, dipID: id, number: number, Self.lineInput(&form),
                                               expectedVersion: form.version, as: user)
            }
        }
        router.post("/organisations/:code/dips/:id/agree") { request, context in
            try await dipPost(request, context, line: nil, allowed: ["version"], saved: "agreed") { form, user, code, id in
                try Self.check(form)
                try await service.agree(organisationCode: code, dipID: id, expectedVersion: form.version, as: user)
            }
        }
    }

    static let lineFields: Set<String> = ["version", "product", "organisation", "implementation", "dueMilestone", "due", "projects", "ccn", "remove"]

    static func lineInput(_ form: inout ChangeForm) -> ChangeControlService.LineInput {
        let implementation = form.choice("implementation", ImplementationKind.self)
        let milestone = form.choice("dueMilestone", MilestoneKind.self)
        let due = form.day("due", "the due date")
        let projects = form.fields["projects"].map { $0.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init) }
        return .init(productCode: form.value("product"), organisationCode: form.value("organisation"), implementation: implementation,
                     dueMilestone: milestone, due: due, projectCodes: projects, remove: form.value("remove") == "1", ccnReference: form.value("ccn"),
                     errors: form.errors)
    }

    func dipPost(_ request: Request, _ context: WaymarkRequestContext, line: Int?, allowed: Set<String>, saved: String = "line",
                 _ body: (inout ChangeForm, ActingUser, String, Int64) async throws -> Void) async throws -> Response {
        let code = try context.parameters.require("code")
        let id = try Self.id(context)
        let user = try context.actingUser()
        var form = try await ChangeForm.read(request, csrf: csrf, allowed: allowed)
        try await service.checkDIP(organisationCode: code, dipID: id, line: line, for: .manageDIP, as: user)
        let page = ChangeControlHTML.dip(code, id)
        do {
            try await body(&form, user, code, id)
            return Self.redirect(page + "?saved=\(saved)" + (line.map { "#line-\($0)" } ?? ""))
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await dipPage(code: code, id: id, context: context, editing: line, entered: form.fields,
                                     errors: refusal.errors(orOn: "version"), status: refusal.status)
        }
    }

    func dipPage(code: String, id: Int64, context: WaymarkRequestContext, editing: Int? = nil, notice: String? = nil,
                 entered: [String: String] = [:], errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.dipView(organisationCode: code, dipID: id, as: try context.actingUser())
        return HTMLResponse.page(DIPPage(view: view, csrfToken: context.csrfToken, editing: editing, notice: notice, entered: entered,
                                         errors: errors).render(), status: status)
    }
}

// MARK: Setting up DIPs (issue 13)

extension ChangeControlController {
    func registerDIPSetup(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/dip-setup") { _, context in
            try await setupPage(context)
        }
        router.post("/organisations/:code/dip-setup/create") { request, context in
            var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            fields["csrf"] = nil
            let code = try context.parameters.require("code")
            do {
                guard let year = FinancialYear(label: (fields["year"] ?? "").trimmedWhitespace) else {
                    _ = try await service.gate.organisation(code: code, for: .manageDIP, as: try context.actingUser())
                    throw ValidationFailure([FieldError(field: "year", message: "Give the financial year like 2027/28.")])
                }
                let dip = try await service.createDIP(clusterCode: code, supplierCode: fields["supplier"] ?? "", year: year, as: try context.actingUser())
                return Self.redirect(ChangeControlHTML.dip(code, dip.id))
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await setupPage(context, form: FormState(failedForm: "create", entered: fields, errors: refusal.errors(orOn: "supplier")),
                                           status: refusal.status)
            }
        }
        router.post("/organisations/:code/dip-setup/import") { request, context in
            let parts = try await Multipart.form(request, upTo: ChangeControlService.maximumDIPImportBytes + 64 * 1024)
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            let code = try context.parameters.require("code")
            let user = try context.actingUser()
            let check = parts["check"]?.text == "1"
            do {
                guard let id = parts["dip"].flatMap({ Int64($0.text) }), let file = parts["file"], !file.data.isEmpty else {
                    _ = try await service.gate.organisation(code: code, for: .manageDIP, as: user)
                    throw ValidationFailure([FieldError(field: "", message: "Choose a draft DIP and the CSV file of its lines.")])
                }
                let lines = try await service.importDIPLines(organisationCode: code, dipID: id, Data(file.data), apply: !check, as: user)
                let linked = lines.filter { !$0.projects.isEmpty }.count
                return try await setupPage(context, result: "\(check ? "The file is good: it has" : "Added") \(lines.count) line\(lines.count == 1 ? "" : "s"), \(linked) linked to a project\(check ? ". Nothing was written." : ".")")
            } catch let rejected as ImportRejected {
                return try await setupPage(context, problems: rejected.problems, status: .unprocessableContent)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await setupPage(context, form: FormState(failedForm: "import", errors: refusal.errors(orOn: "")), status: refusal.status)
            }
        }
    }

    func setupPage(_ context: WaymarkRequestContext, form: FormState = FormState(), problems: [ImportProblem] = [], result: String? = nil,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let cluster = try await service.gate.organisation(code: try context.parameters.require("code"), for: .manageDIP, as: user).0
        let drafts = try await service.performance(organisationCode: cluster.code, year: nil, as: user).dips.filter { $0.dip.state == .draft }
        return HTMLResponse.page(DIPSetupPage(cluster: cluster, drafts: drafts, csrfToken: context.csrfToken, form: form, problems: problems,
                                              result: result).render(), status: status)
    }
}
