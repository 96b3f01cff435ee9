import Crypto
import Foundation

/// A request sent with an `Idempotency-Key`, as the server first sees it.
public struct IdempotencyClaim: Sendable, Hashable {
    /// Who sent it: keys are scoped to their sender, so two users never share one.
    public var actor: String
    public var key: String
    public var method: String
    public var path: String
    /// SHA-256 over the method, path, content type and body: the same key with another request
    /// is refused rather than answered with the first request's response.
    public var fingerprint: String
    public var at: Int64

    public init(actor: String, key: String, method: String, path: String, contentType: String?, body: [UInt8], at: Int64) {
        self.actor = actor
        self.key = key
        self.method = method
        self.path = path
        var hasher = SHA256()
        for part in [method, path, contentType ?? ""] {
            hasher.update(data: Data("\(part.utf8.count):\(part)|".utf8))
        }
        hasher.update(data: body)
        fingerprint = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        self.at = at
    }
}

/// The response stored for a key, replayed to a retry of the same request.
public struct IdempotentResponse: Sendable, Hashable {
    public var status: Int
    /// The few headers a client acts on (Content-Type, Location, ETag), name → value.
    public var headers: [String: String]
    public var body: [UInt8]
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What claiming a key found.
public enum IdempotencyOutcome: Sendable, Hashable {
    /// The key was free (or expired, or abandoned): this request runs and then completes it.
    case claimed
    /// The same request ran before: answer with its response.
    case replay(IdempotentResponse)
    /// The same request is still running under this key.
    case inProgress
    /// The key was used for a different request.
    case mismatch
}

/// Idempotency keys (issue 12): a retried POST is applied once.
public protocol IdempotencyRepository: Sendable {
    /// Claims `claim.key` for its actor, atomically (a unique key per actor), dropping keys
    /// older than `expiry` seconds. A claim still running after `abandonAfter` seconds is
    /// treated as abandoned (its server stopped) and taken over.
    func claimIdempotencyKey(_ claim: IdempotencyClaim, expiry: Int64, abandonAfter: Int64) async throws -> IdempotencyOutcome
    /// Stores the response of a claimed request, for replays.
    func completeIdempotencyKey(_ claim: IdempotencyClaim, response: IdempotentResponse) async throws
    /// Frees a claim whose request failed without an answer worth replaying (a 5xx), so a retry runs.
    func releaseIdempotencyKey(_ claim: IdempotencyClaim) async throws
}

extension SQLStore {
    static let idempotencyMigration = Migration(version: 12, name: "idempotency keys") { dialect in
        [
            """
            CREATE TABLE idempotency_key (
                actor TEXT NOT NULL,
                request_key TEXT NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                status INTEGER,
                headers TEXT,
                body \(dialect == .sqlite ? "BLOB" : "BYTEA"),
                PRIMARY KEY (actor, request_key)
            )
            """,
            "CREATE INDEX idempotency_key_created ON idempotency_key (created_at)",
        ]
    }

    public func claimIdempotencyKey(_ claim: IdempotencyClaim, expiry: Int64, abandonAfter: Int64) async throws -> IdempotencyOutcome {
        // One transaction: drop expired keys, take the key (or an abandoned claim on it), and
        // read back whoever holds it now.
        let results = try await database.write([
            SQLStatement("DELETE FROM idempotency_key WHERE created_at < ?", [.integer(claim.at - expiry)]),
            SQLStatement(
                """
                INSERT INTO idempotency_key (actor, request_key, method, path, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (actor, request_key) DO UPDATE SET method = excluded.method, path = excluded.path,
                    fingerprint = excluded.fingerprint, created_at = excluded.created_at
                WHERE idempotency_key.status IS NULL AND idempotency_key.created_at < ?
                RETURNING actor
                """,
                [.text(claim.actor), .text(claim.key), .text(claim.method), .text(claim.path), .text(claim.fingerprint),
                 .integer(claim.at), .integer(claim.at - abandonAfter)]),
            SQLStatement("SELECT fingerprint, status, headers, body FROM idempotency_key WHERE actor = ? AND request_key = ?",
                         [.text(claim.actor), .text(claim.key)]),
        ])
        if !results[1].isEmpty { return .claimed }
        guard let held = results[2].first else { return .inProgress }
        guard held.string("fingerprint") == claim.fingerprint else { return .mismatch }
        guard let status = held.optionalInt("status") else { return .inProgress }
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(held.string("headers").utf8))) ?? [:]
        return .replay(IdempotentResponse(status: Int(status), headers: headers, body: held.bytes("body")))
    }

    public func completeIdempotencyKey(_ claim: IdempotencyClaim, response: IdempotentResponse) async throws {
        let headers = String(decoding: (try? JSONEncoder().encode(response.headers)) ?? Data("{}".utf8), as: UTF8.self)
        try await database.write([SQLStatement(
            "UPDATE idempotency_key SET status = ?, headers = ?, body = ? WHERE actor = ? AND request_key = ? AND fingerprint = ?",
            [.integer(Int64(response.status)), .text(headers), .bytes(response.body), .text(claim.actor), .text(claim.key),
             .text(claim.fingerprint)])])
    }

    public func releaseIdempotencyKey(_ claim: IdempotencyClaim) async throws {
        try await database.write([SQLStatement(
            "DELETE FROM idempotency_key WHERE actor = ? AND request_key = ? AND fingerprint = ? AND status IS NULL",
            [.text(claim.actor), .text(claim.key), .text(claim.fingerprint)])])
    }
}
