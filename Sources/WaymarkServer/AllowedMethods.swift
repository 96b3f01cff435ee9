import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not answer gets 405 with `Allow` (RFC 9110
/// section 15.5.6), not 404. Added after every route, so it runs only when routing found no
/// handler; GET routes also answer HEAD (`autoGenerateHeadEndpoints`).
struct AllowedMethodsMiddleware: RouterMiddleware {
    typealias Context = WaymarkRequestContext
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(_ routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = allowedMethods(request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return try await next(request, context) }
        let list = allowed.joined(separator: ", ")
        throw HTTPError(.methodNotAllowed, headers: [.allow: list],
                        message: "\(request.uri.path) does not accept \(request.method.rawValue); it accepts \(list).")
    }

    /// The methods the routes matching `path` answer, sorted. As in routing, a constant segment
    /// wins over a parameter (`/organisations/import` over `/organisations/{code}`), so only the
    /// most specific matching routes count.
    func allowedMethods(_ path: String) -> [String] {
        let parts = path.split(separator: "/")
        let matching = routes.filter { Self.matches($0.path.components[...], parts[...]) }
        let specificity = { (route: (path: RouterPath, method: HTTPRequest.Method)) in
            route.path.components.map { $0.description.hasPrefix(":") || $0.description.hasPrefix("{") || $0.description.contains("*") ? 0 : 1 }
        }
        guard let best = matching.map(specificity).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        var methods = Set(matching.filter { specificity($0) == best }.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    static func matches(_ pattern: ArraySlice<RouterPath.Element>, _ parts: ArraySlice<Substring>) -> Bool {
        guard let element = pattern.first else { return parts.isEmpty }
        if element.description == "**" { return true }
        guard let part = parts.first, element ~= part else { return false }
        return matches(pattern.dropFirst(), parts.dropFirst())
    }
}
