import Hummingbird
import NIOCore
import WaymarkService

/// Hummingbird context carrying the client's address (the audit entry's origin) and, once
/// `AuthenticationMiddleware` has run, the signed-in user and the form token.
public struct WaymarkRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client as `ClientConnectionMiddleware` resolved it (through trusted proxies).
    var client = ClientConnection(address: "unknown", overTLS: false)
    /// nil only on public routes (sign-in, health, static files).
    var user: ActingUser?
    /// The session cookie's secret, for sign-out and rotation.
    var sessionSecret: String?
    /// This request's CSRF token for any form the page shows.
    var csrfToken: String = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in user; the middleware guarantees one on every non-public route.
    func actingUser() throws -> ActingUser {
        guard let user else { throw ServiceError(.unauthorised, "Sign in to use Waymark.") }
        return user
    }
}

/// The request's origin for handlers that only see generated API types.
enum RequestOrigin {
    @TaskLocal static var current: String?
}

/// The API caller, for the generated handlers, which see no request context.
enum RequestActor {
    @TaskLocal static var current: ActingUser?
}
