import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OpenAPIRuntime
import Testing
import WaymarkStorage
@testable import WaymarkServer

@Suite("The server log never holds credentials")
struct LogSafetyTests {
    static let token = "wmk_SECRET-token-0123456789abcdefghijklmnopqrstuvwxyz"
    static let session = "SECRET-session-0123456789abcdefghijklmnopq"

    /// An error raised inside an OpenAPI handler arrives as a `ServerError` holding the whole
    /// request: its description printed the bearer token and cookies on every 500.
    @Test("a 500 from an API handler logs the operation, error type and path, and no header or body")
    func serverError() async throws {
        let log = CapturedLog()
        let router = Router(context: WaymarkRequestContext.self)
        router.add(middleware: ErrorRenderingMiddleware())
        router.post("/api/v1/boom") { request, _ -> Response in
            throw ServerError(operationID: "boom", request: HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/api/v1/boom",
                                                                         headerFields: request.headers),
                              requestBody: HTTPBody("{\"password\":\"\(Self.session)\"}"), requestMetadata: .init(),
                              operationInput: ["authorization": "Bearer \(Self.token)"],
                              causeDescription: "Handler threw an error", underlyingError: StorageError(.conflict, "secret \(Self.token)"))
        }
        let app = Application(router: router, logger: log.logger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/boom", method: .post, headers: [
                .authorization: "Bearer \(Self.token)", .cookie: "waymark_session=\(Self.session)"], body: ByteBuffer(string: "{}"))
            #expect(response.status == .internalServerError)
        }
        let lines = log.lines
        #expect(lines.contains { $0.contains("unhandled error") && $0.contains("boom") && $0.contains("/api/v1/boom") }, "\(lines)")
        #expect(!lines.joined().contains("SECRET"), "\(lines)")
    }

    @Test("a database fault behind a signed-in page and API call leaves no token or session in the log")
    func databaseFault() async throws {
        let app = try await TestApp.make()
        let credentials = try await app.signIn(.nationalProgrammeOffice)
        let log = CapturedLog()
        try await app.test(credentials, logger: log.logger) { client in
            #expect(try await client.execute(uri: "/api/v1/lessons?limit=1", method: .get).status == .ok)
            try await app.store.database.write([SQLStatement("ALTER TABLE lesson RENAME TO lesson_gone")])
            let cookie = "waymark_session=\(credentials.sessionSecret)"
            let page = try await client.execute(uri: "/lessons", method: .get)
            let api = try await client.execute(uri: "/api/v1/lessons?limit=1", method: .get, headers: [.cookie: cookie])
            #expect(page.status.code >= 500 && api.status.code >= 400)
        }
        let text = log.lines.joined(separator: "\n")
        #expect(text.contains("unhandled error"))
        #expect(!text.contains(credentials.token) && !text.contains(credentials.sessionSecret), "\(text)")
    }
}

/// Every log line, message and metadata, at every level.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var captured: [String] = []
    var lines: [String] { lock.withLock { captured } }
    func append(_ line: String) { lock.withLock { captured.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "waymark-test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(all) \(event.error.map { String(reflecting: $0) } ?? "")")
        }
    }
}
