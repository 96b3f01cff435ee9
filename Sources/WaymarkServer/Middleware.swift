import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Security headers on every response, errors included: a CSP with no inline script or style,
/// no framing, no MIME sniffing, no referrer leaking beyond the site, and HSTS once the
/// request arrived over TLS (browsers ignore it over plain HTTP).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WaymarkRequestContext
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }
    static let strictTransportSecurity = "max-age=31536000"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if context.client.overTLS { response.headers[.strictTransportSecurity] = Self.strictTransportSecurity }
        return response
    }
}

/// Resolves who the client is (through trusted proxies) before anything else runs, and puts
/// the address where the generated API handlers can read it.
struct ClientConnectionMiddleware: RouterMiddleware {
    typealias Context = WaymarkRequestContext
    let proxies: TrustedProxies
    let servesTLS: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.client = ClientConnection(peer: context.remoteAddress, headers: request.headers, proxies: proxies, servesTLS: servesTLS)
        return try await RequestOrigin.$current.withValue(context.client.address) { try await next(request, context) }
    }
}

/// Smooths three edges of the generated OpenAPI layer: request bodies are capped (the runtime
/// would read any size into memory); a client that accepts `application/json` also gets
/// `application/problem+json` errors (RFC 9457) instead of a refusal; and ETags (and a
/// download's Content-Disposition and Cache-Control) go out as sent rather than percent-encoded.
/// Signed-in answers are `Cache-Control: no-store`, so no cache keeps one user's records.
struct APIHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumBodyBytes: Int { 64 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var request = request
        // A data-quality extract is streamed into its reader and never collected (issue 14).
        if request.method != .get, request.method != .head, !DataQualityController.isExtractUpload(request) {
            // Plan, register, organisation and document files are the large uploads; everything else stays small.
            let limit = request.method == .put && request.uri.path.hasSuffix("/plan") ? PlanController.maximumUploadBytes
                : request.method == .post && request.uri.path.hasSuffix("/register/import") ? TrackingController.maximumImportBytes
                : request.method == .post && request.uri.path == "/api/v1/organisations/import" ? OrganisationService.maximumImportBytes
                : request.method == .post && request.uri.path == "/api/v1/users/import" ? UserAdministration.maximumImportBytes
                : request.method == .post && request.uri.path == "/api/v1/staff/import" ? StaffService.maximumImportBytes
                : request.method == .post && request.uri.path == "/api/v1/training/results" ? TrainingService.maximumImportBytes
                : request.method == .post && request.uri.path.hasSuffix("/lines/import") ? ChangeControlService.maximumDIPImportBytes
                : request.method == .put && request.uri.path.contains("/surveys/") ? SurveyService.maximumImportBytes
                : request.method == .put && request.uri.path.contains("/documents/") ? APIHandler.maximumDocumentBodyBytes
                : Self.maximumBodyBytes
            let body = try await request.cappedBody(upTo: limit)
            request = Request(head: request.head, body: .init(buffer: body))
        }
        if let accept = request.headers[.accept], !accept.contains("problem+json"), !accept.contains("*/*") {
            var head = request.head
            head.headerFields[.accept] = accept + ", application/problem+json"
            request = Request(head: head, body: request.body)
        }
        var response = try await next(request, context)
        // The generated layer percent-encodes header values; these are meant to be read as sent
        // (a download's Content-Disposition is built from a file name reduced to safe characters).
        for name in [HTTPField.Name.eTag, .contentDisposition, .cacheControl] {
            if let value = response.headers[name], value.contains("%") {
                response.headers[name] = value.removingPercentEncoding ?? value
            }
        }
        if !AuthenticationMiddleware.isPublic(request.uri.path), response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// Turns every thrown error into a response: problem+json (RFC 9457) under /api/, an HTML
/// page elsewhere. Unexpected errors are logged and shown without internals. The log names
/// only the error's type and the path: an error's own description can hold the request, and
/// with it the bearer token, cookies and body.
struct ErrorRenderingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorTable.answer(for: error)
            if answer.status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(Self.loggable(error))", "path": "\(Self.loggable(path: request.uri.path))"])
            }
            var response = request.uri.path.hasPrefix("/api/")
                ? Self.problem(answer)
                : HTMLResponse.page(ErrorPage(answer: answer).render(), status: answer.status)
            if let retryAfter = answer.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            if let http = error as? HTTPError { response.headers.append(contentsOf: http.headers) }
            if answer.status == .unauthorized, request.uri.path.hasPrefix("/api/") {
                response.headers[.wwwAuthenticate] = "Bearer realm=\"waymark\""
            }
            Health.annotate(&response, for: error, logger: context.logger)
            return response
        }
    }

    /// The path as logged: a password-reset link's path is its secret, so it is cut off.
    static func loggable(path: String) -> String { path.hasPrefix("/reset/") ? "/reset/…" : path }

    /// What may be logged about an error: types and codes, never its description.
    static func loggable(_ error: any Error) -> String {
        switch error {
        case let server as ServerError: "\(server.operationID): \(loggable(server.underlyingError))"
        case let storage as StorageError: "StorageError(\(storage.code))"
        default: String(reflecting: type(of: error))
        }
    }

    static func problem(_ answer: ErrorAnswer) -> Response {
        let body = (try? JSONEncoder().encode(ProblemBody(answer))) ?? Data()
        return Response(status: answer.status, headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

enum HTMLResponse {
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.rendered)))
    }
}

/// RFC 9457 problem details, for errors raised outside the generated API handlers.
struct ProblemBody: Encodable {
    struct Field: Encodable { var field: String; var message: String }
    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var errors: [Field]?

    init(_ answer: ErrorAnswer) {
        title = answer.title
        status = answer.status.code
        detail = answer.detail
        errors = answer.errors.isEmpty ? nil : answer.errors.map { Field(field: $0.field, message: $0.message) }
    }
}

extension Request {
    /// The whole body, or 413 when it is larger than `limit` (NIO reports that as its own error).
    func cappedBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "Request bodies are limited to \(limit / 1024) KiB.")
        }
    }
}
