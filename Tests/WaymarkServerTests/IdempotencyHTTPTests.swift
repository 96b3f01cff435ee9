import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Idempotency-Key over HTTP")
struct IdempotencyHTTPTests {
    @Test("a retried POST with the same key is applied once and answered the same; another body with that key is refused")
    func retriedCreate() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == (try? app.homeOrganisation(for: .trustProjectManager))?.id })
        try await app.test(as: .trustProjectManager) { client async throws in
            func raise(_ title: String, key: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
                return try await client.execute(uri: "/api/v1/projects/\(project.code)/register", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"title": "\#(title)", "owner": "Ben", "area": "IT", "probability": 45, "priority": 2, "controllability": "C"}"#))
            }
            let before = try await app.store.trackingCount(TrackingQuery(scope: .national))
            let first = try await raise("Kit late", key: "3f0c-retry-1")
            #expect(first.status == .ok)
            let retry = try await raise("Kit late", key: "3f0c-retry-1")
            #expect(retry.status == .ok)
            #expect(retry.text == first.text && retry.headers[.eTag] == first.headers[.eTag])
            #expect(retry.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            #expect(try await app.store.trackingCount(TrackingQuery(scope: .national)) == before + 1, "applied once")

            let other = try await raise("Something else", key: "3f0c-retry-1")
            #expect(other.status == .unprocessableContent)
            #expect(other.text.contains("different request"))
            #expect(try await raise("Kit late", key: nil).status == .ok, "without a key every POST runs")
            #expect(try await app.store.trackingCount(TrackingQuery(scope: .national)) == before + 2)
            #expect(try await raise("Kit late", key: "bad key with spaces").status == .badRequest)
        }
    }

    @Test("a new API token's page is never kept for replay: keys are not honoured where credentials are issued")
    func tokensAreNeverStored() async throws {
        let app = try await TestApp.make()
        try await app.test(as: .trustProjectManager) { client async throws in
            let csrf = String(repeating: "t", count: 43)
            let answer = try await client.execute(uri: "/account/tokens", method: .post, headers: [
                .contentType: "application/x-www-form-urlencoded", .cookie: "waymark_csrf=\(csrf)",
                HTTPField.Name("Idempotency-Key")!: "token-retry-1"],
                body: ByteBuffer(string: "csrf=\(csrf)&name=laptop&scope.read=on&days=30"))
            #expect(answer.status == .ok)
            #expect(answer.text.contains("wmk_"), "the new token is shown once")
        }
        let kept = try await app.store.database.fetch("SELECT COUNT(*) AS kept FROM idempotency_key", []).first?.int("kept")
        #expect(kept == 0)
    }
}
