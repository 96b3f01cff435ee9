import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// Sign-in, sign-out, and the user's own account page with their API tokens.
struct AccountController {
    let accounts: AccountService
    let csrf: CSRF
    let authentication: AuthenticationMiddleware

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/sign-in") { request, context in
            let next = SafeRedirect.target(request.queryString.get("next").map { String($0) })
            if context.user != nil { return Response(status: .seeOther, headers: [.location: next]) }
            return HTMLResponse.page(SignInPage(csrfToken: context.csrfToken, next: next).render())
        }
        router.post("/sign-in") { request, context in try await signIn(request: request, context: context) }
        router.post("/sign-out") { request, context in
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            if let secret = context.sessionSecret { try await accounts.signOut(sessionSecret: secret, as: try context.actingUser()) }
            return Response(status: .seeOther, headers: [.location: "/sign-in", .setCookie: authentication.expiredSessionCookie(context)])
        }
        router.get("/account") { request, context in
            try await accountPage(context: context, notice: request.queryString.get("revoked") == "1" ? "Token revoked." : nil)
        }
        router.post("/account/tokens") { request, context in
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            var scopes: Set<TokenScope> = []
            if fields["scope.read"] != nil { scopes.insert(.read) }
            if fields["scope.write"] != nil { scopes.insert(.write) }
            guard let days = fields["days"].flatMap({ Int($0.trimmingSpaces) }) else {
                throw ServiceError(.badRequest, "Give the number of days the token lasts, 1 to 365.")
            }
            let created = try await accounts.createToken(name: fields["name"] ?? "", scopes: scopes, days: days,
                                                         for: try context.actingUser())
            return try await accountPage(context: context, created: created)
        }
        router.post("/account/tokens/:id/revoke") { request, context in
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            guard let id = Int64(try context.parameters.require("id")) else { throw ServiceError(.notFound, "No such token.") }
            try await accounts.revokeToken(id: id, as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "/account?revoked=1"])
        }
    }

    func signIn(request: Request, context: WaymarkRequestContext) async throws -> Response {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        let next = SafeRedirect.target(fields["next"])
        let username = String((fields["username"] ?? "").prefix(64))
        do {
            let signedIn = try await accounts.signIn(username: username, password: fields["password"] ?? "",
                                                     origin: context.client.address,
                                                     previousSecret: context.sessionSecret)
            return Response(status: .seeOther, headers: [
                .location: next, .setCookie: authentication.sessionCookie(signedIn.sessionSecret, context),
                .cacheControl: "no-store"])
        } catch {
            // Wrong credentials and throttling are shown on the sign-in form itself.
            let answer = ErrorTable.answer(for: error)
            guard answer.status == .unauthorized || answer.status == .tooManyRequests else { throw error }
            let page = SignInPage(csrfToken: context.csrfToken, next: next, username: username, error: answer.detail)
            var headers: HTTPFields = [:]
            if let wait = answer.retryAfter { headers[.retryAfter] = String(wait) }
            return HTMLResponse.page(page.render(), status: answer.status, headers: headers)
        }
    }

    func accountPage(context: WaymarkRequestContext, created: AccountService.CreatedToken? = nil,
                     notice: String? = nil) async throws -> Response {
        let user = try context.actingUser()
        let organisation = try await accounts.homeOrganisation(of: user)
        let page = AccountPage(user: user, organisation: organisation, tokens: try await accounts.tokens(for: user),
                               csrfToken: context.csrfToken, now: Int64(accounts.clock.now().timeIntervalSince1970),
                               created: created, notice: notice)
        return HTMLResponse.page(page.render())
    }
}
