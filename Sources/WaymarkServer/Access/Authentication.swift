import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// Who is asking. HTML pages use the server-side session cookie; the JSON API uses bearer
/// tokens only (so a browser's cookies can never drive the API, and the API needs no CSRF
/// token). Every route except the public ones needs a signed-in user: pages redirect to the
/// sign-in form, the API answers 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = WaymarkRequestContext
    static let sessionCookie = "waymark_session"
    let accounts: AccountService
    let csrf: CSRF

    static func isPublic(_ path: String) -> Bool {
        // A password-reset link is its own credential (issue 13).
        path == "/sign-in" || path.hasPrefix("/reset/") || path == "/health" || path == "/health/ready" || path.hasPrefix("/static/") || path == "/api/v1/openapi.yaml"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let origin = context.client.address
        let path = request.uri.path
        if path.hasPrefix("/api/"), !Self.isPublic(path) {
            guard let token = Self.bearerToken(request.headers[.authorization]) else {
                throw ServiceError(.unauthorised, "Send an API token as 'Authorization: Bearer wmk_…'. Create one on your account page or with `waymark token create`.")
            }
            let user = try await accounts.user(bearerToken: token, origin: origin)
            context.user = user
            return try await RequestActor.$current.withValue(user) { try await next(request, context) }
        }
        if let secret = request.cookies[Self.sessionCookie]?.value, !secret.isEmpty, secret.utf8.count < 100,
           let user = try await accounts.user(sessionSecret: secret, origin: origin) {
            context.user = user
            context.sessionSecret = secret
        }
        if context.user == nil, !Self.isPublic(path) {
            // Nothing runs for an unsigned request; a GET comes back to its page after sign-in.
            let back = request.method == .get ? SafeRedirect.target(request.uri.description, fallback: "") : ""
            let location = back.isEmpty || back == "/" ? "/sign-in" : "/sign-in?next=" + urlEncoded(back)
            return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        }
        let (token, setCookie) = csrf.token(for: request, secure: context.client.overTLS)
        context.csrfToken = token
        let chrome = context.user.map { PageChrome(user: $0, csrfToken: token) }
        var response = try await PageChrome.$current.withValue(chrome) { try await next(request, context) }
        if let setCookie { response.headers.append(HTTPField(name: .setCookie, value: setCookie)) }
        return response
    }

    /// The credentials of an `Authorization: Bearer …` header. The scheme is case-insensitive
    /// (RFC 9110 section 11.1), and any spaces may separate it from the token.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1]).trimmingSpaces
        return token.isEmpty ? nil : token
    }

    /// Cookies are marked Secure when the request arrived over TLS (see `ClientConnection`).
    func sessionCookie(_ secret: String, _ context: Context) -> String {
        "\(Self.sessionCookie)=\(secret); Path=/; HttpOnly; SameSite=Lax\(context.client.overTLS ? "; Secure" : "")"
    }

    func expiredSessionCookie(_ context: Context) -> String {
        "\(Self.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(context.client.overTLS ? "; Secure" : "")"
    }
}

/// What the page header shows for the signed-in user, set per request for `Layout`.
struct PageChrome: Sendable {
    @TaskLocal static var current: PageChrome?
    var userName: String
    var roleTitle: String
    var csrfToken: String
    var canViewAudit: Bool
    var canManageUsers: Bool

    init(user: ActingUser, csrfToken: String) {
        userName = user.account?.displayName ?? user.name
        roleTitle = user.role?.title ?? ""
        self.csrfToken = csrfToken
        canViewAudit = user.permits(.viewAudit)
        canManageUsers = user.permits(.manageUsers)
    }
}
