import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The users pages (issue 13) and the public page where a reset link sets a password. Each
/// form is one `UserChange` (or one action) onto `UserAdministration`; a refusal shows the
/// page again, and 403 or 404 replace it.
struct UserController {
    let users: UserAdministration
    let accounts: AccountService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/users") { request, context in
            let q = request.queryString
            let roleText = (q.get("role") ?? "").trimmingSpaces
            let role = Role(rawValue: roleText)
            guard roleText.isEmpty || role != nil else { throw ServiceError(.badRequest, UserRules.roleRule) }
            let after = try q.get("after").map { text -> Int64 in
                guard let id = Int64(text) else { throw ServiceError(.badRequest, "The page cursor must be a number.") }
                return id
            }
            let organisation = q.get("organisation") ?? "", text = q.get("q") ?? ""
            let page = try await users.users(UserQuery(role: role, text: text, after: after, limit: 50), organisation: organisation,
                                             as: try context.actingUser())
            return HTMLResponse.page(UserListPage(page: page, organisation: organisation, role: role, text: text).render())
        }
        router.get("/users/new") { _, context in
            let roles = try await users.roles(as: try context.actingUser())
            return HTMLResponse.page(UserNewPage(csrfToken: context.csrfToken, roles: roles).render())
        }
        router.post("/users") { request, context in
            let (fields, user) = try await form(request, context)
            do {
                let created = try await users.create(UserChange(form: fields), as: user)
                return Self.redirect(created.user.username, saved: "add")
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                let page = UserNewPage(csrfToken: context.csrfToken, roles: try await users.roles(as: user), entered: fields,
                                       errors: refusal.formErrors)
                return HTMLResponse.page(page.render(), status: refusal.status)
            }
        }
        router.get("/users/import") { _, context in
            _ = try await users.roles(as: try context.actingUser())
            return HTMLResponse.page(UserImportPage(csrfToken: context.csrfToken).render())
        }
        router.post("/users/import") { request, context in try await importFile(request, context) }
        router.get("/users/:username") { request, context in
            let notice = request.queryString.get("saved").flatMap { Self.notices[String($0)] }
            return try await page(try context.parameters.require("username"), context, notice: notice)
        }
        router.post("/users/:username") { request, context in
            try await change(request, context) { username, fields, user in
                _ = try await users.update(username, UserChange(form: fields), as: user)
                return "edit"
            }
        }
        for (action, active) in [("deactivate", false), ("reactivate", true)] {
            router.post("/users/:username/\(action)") { request, context in
                try await change(request, context) { username, fields, user in
                    _ = try await users.setActive(username, active, expectedVersion: fields["version"].flatMap { Int($0) }, as: user)
                    return action
                }
            }
        }
        router.post("/users/:username/reset-link") { request, context in
            let (_, user) = try await form(request, context)
            let username = try context.parameters.require("username")
            do {
                let link = try await users.createResetLink(username, as: user)
                let scheme = context.client.overTLS ? "https" : "http"
                let address = "\(scheme)://\(request.head.authority ?? "localhost")\(link.path)"
                let expires = Date(timeIntervalSince1970: Double(link.expiresAt)).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
                return try await page(username, context, resetLink: (address, expires))
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(username, context, errors: refusal.formErrors, status: refusal.status)
            }
        }
        router.get("/reset/:secret") { _, context in
            let secret = try context.parameters.require("secret")
            let account = try await accounts.passwordResetUser(secret: secret)
            return HTMLResponse.page(PasswordResetPage(csrfToken: context.csrfToken, action: "/reset/\(secret)", username: account.username).render())
        }
        router.post("/reset/:secret") { request, context in
            let secret = try context.parameters.require("secret")
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            do {
                try await accounts.resetPassword(secret: secret, password: fields["password"] ?? "", confirmation: fields["confirm"] ?? "",
                                                 origin: context.client.address)
                return Response(status: .seeOther, headers: [.location: "/sign-in", .cacheControl: "no-store"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                let account = try await accounts.passwordResetUser(secret: secret)
                let page = PasswordResetPage(csrfToken: context.csrfToken, action: "/reset/\(secret)", username: account.username,
                                             errors: refusal.formErrors)
                return HTMLResponse.page(page.render(), status: refusal.status)
            }
        }
    }

    static let notices = ["add": "User added. Issue them a password link below.", "edit": "Details saved.",
                          "deactivate": "User deactivated: their sessions and API tokens have stopped.", "reactivate": "User reactivated."]

    static func redirect(_ username: String, saved: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/users/\(urlEncoded(username))?saved=\(saved)"])
    }

    /// A form's fields after its CSRF check, and who sent it.
    func form(_ request: Request, _ context: WaymarkRequestContext) async throws -> ([String: String], ActingUser) {
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        return (fields, try context.actingUser())
    }

    /// Runs one form on a user's page: success redirects back to it, a refusal shows it again.
    func change(_ request: Request, _ context: WaymarkRequestContext,
                _ body: (String, [String: String], ActingUser) async throws -> String) async throws -> Response {
        let username = try context.parameters.require("username")
        let (fields, user) = try await form(request, context)
        do {
            return Self.redirect(username, saved: try await body(username, fields, user))
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await page(username, context, entered: fields, errors: refusal.formErrors, status: refusal.status)
        }
    }

    func page(_ username: String, _ context: WaymarkRequestContext, notice: String? = nil,
              resetLink: (address: String, expires: String)? = nil, entered: [String: String]? = nil, errors: [FieldError] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let listing = try await users.user(username, as: user)
        let page = UserPage(listing: listing, roles: try await users.roles(as: user), csrfToken: context.csrfToken, notice: notice,
                            resetLink: resetLink, entered: entered?["name"] == nil ? nil : entered, errors: errors)
        return HTMLResponse.page(page.render(), status: status)
    }

    func importFile(_ request: Request, _ context: WaymarkRequestContext) async throws -> Response {
        let parts = try await Multipart.form(request, upTo: UserAdministration.maximumImportBytes + 64 * 1024)
        try csrf.verify(request, formToken: parts["csrf"]?.text)
        let user = try context.actingUser()
        let fingerprint = parts["fingerprint"]?.text ?? ""
        do {
            guard let file = parts["file"], !file.data.isEmpty else {
                _ = try await users.roles(as: user)
                return HTMLResponse.page(UserImportPage(csrfToken: context.csrfToken, error: "Choose the CSV file to import.").render(),
                                         status: .unprocessableContent)
            }
            let data = Data(file.data)
            let page = fingerprint.isEmpty
                ? UserImportPage(csrfToken: context.csrfToken, preview: try await users.previewImport(data, as: user))
                : UserImportPage(csrfToken: context.csrfToken, applied: try await users.applyImport(data, expectedFingerprint: fingerprint, as: user))
            return HTMLResponse.page(page.render())
        } catch let rejected as ImportRejected {
            return HTMLResponse.page(UserImportPage(csrfToken: context.csrfToken, problems: rejected.problems).render(), status: .unprocessableContent)
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return HTMLResponse.page(UserImportPage(csrfToken: context.csrfToken, error: refusal.summary).render(), status: refusal.status)
        }
    }
}
