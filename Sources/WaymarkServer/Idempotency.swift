import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WaymarkStorage

/// `Idempotency-Key` on any POST, API or form (issue 12): a client that retries a create after
/// a timeout gets the first attempt's response instead of a second record. The key is claimed
/// atomically per signed-in user (a unique key per actor) before the request runs and the
/// response is stored once it has; keys expire after a day. The same key with a different
/// request answers 422; a retry while the first attempt still runs answers 409. A 5xx is not
/// kept, so a retry after a failure runs again.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = WaymarkRequestContext
    let store: any IdempotencyRepository

    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotency-Replayed")!
    static let expirySeconds: Int64 = 24 * 60 * 60
    /// A claim with no response after this long belongs to a server that stopped mid-request.
    static let abandonAfterSeconds: Int64 = 120
    /// The largest POST body Waymark takes (a register import).
    static var maximumBodyBytes: Int { TrackingController.maximumImportBytes }
    /// The headers a client acts on; cookies and the like are never replayed.
    static let keptHeaders: [HTTPField.Name] = [.contentType, .location, .eTag, .cacheControl]

    /// Sign-in and the account's own forms issue or end credentials; their answers (a new token
    /// is shown once) must never be kept, so keys are not honoured there.
    static func issuesCredentials(_ path: String) -> Bool {
        path == "/sign-in" || path == "/sign-out" || path.hasPrefix("/account/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A data-quality extract is never kept, so it is not kept to compare a retry either.
        guard request.method == .post, let key = request.headers[Self.header], let user = context.user,
              !Self.issuesCredentials(request.uri.path), !DataQualityController.isExtractUpload(request) else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw HTTPError(.badRequest, message: "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.")
        }
        let body = try await request.cappedBody(upTo: Self.maximumBodyBytes)
        let request = Request(head: request.head, body: .init(buffer: body))
        let claim = IdempotencyClaim(actor: user.name, key: key, method: request.method.rawValue, path: request.uri.description,
                                     contentType: request.headers[.contentType], body: Array(body.readableBytesView),
                                     at: Int64(Date().timeIntervalSince1970))
        switch try await store.claimIdempotencyKey(claim, expiry: Self.expirySeconds, abandonAfter: Self.abandonAfterSeconds) {
        case .claimed:
            break
        case .replay(let stored):
            return Self.response(stored)
        case .inProgress:
            throw HTTPError(.conflict, message: "A request with this Idempotency-Key is still being processed; retry in a moment.")
        case .mismatch:
            throw HTTPError(.unprocessableContent,
                            message: "This Idempotency-Key was already used for a different request. Send a new key with a new request.")
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            await release(claim, logger: context.logger)
            throw error
        }
        guard response.status.code < 500 else {
            await release(claim, logger: context.logger)
            return response
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers: [String: String] = [:]
        for name in Self.keptHeaders {
            if let value = response.headers[name] { headers[name.canonicalName] = value }
        }
        let stored = IdempotentResponse(status: response.status.code, headers: headers, body: Array(collector.buffer.readableBytesView))
        do {
            try await store.completeIdempotencyKey(claim, response: stored)
        } catch {
            // The write itself succeeded; a retry within the abandon window gets 409, then runs again.
            context.logger.error("could not store an idempotent response", metadata: ["cause": "\(Health.cause(error))"])
        }
        var answer = response
        answer.body = .init(byteBuffer: collector.buffer)
        return answer
    }

    func release(_ claim: IdempotencyClaim, logger: Logger) async {
        do {
            try await store.releaseIdempotencyKey(claim)
        } catch {
            logger.error("could not release an idempotency key", metadata: ["cause": "\(Health.cause(error))"])
        }
    }

    static func response(_ stored: IdempotentResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in stored.headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name(name) { headers[name] = value }
        }
        headers[replayedHeader] = "true"
        return Response(status: HTTPResponse.Status(code: stored.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

/// Gathers a response body so it can be both stored and sent.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()
    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
