import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: idempotency keys")
struct IdempotencyStorageTests {
    static func claim(_ key: String, actor: String = "alice", body: String = #"{"title":"Late kit"}"#, at: Int64 = 1_000_000) -> IdempotencyClaim {
        IdempotencyClaim(actor: actor, key: key, method: "POST", path: "/api/v1/projects/P1/register", contentType: "application/json",
                         body: Array(body.utf8), at: at)
    }

    static let response = IdempotentResponse(status: 200, headers: ["ETag": "\"1\"", "Content-Type": "application/json"],
                                              body: Array(#"{"id":42}"#.utf8))

    @Test("a key is claimed once per actor; the same request replays its response, another request is refused; keys expire",
          arguments: Backend.testable)
    func lifecycle(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store = scratch.store
            let first = Self.claim("k-1")
            #expect(try await store.claimIdempotencyKey(first, expiry: 86_400, abandonAfter: 120) == .claimed)
            #expect(try await store.claimIdempotencyKey(first, expiry: 86_400, abandonAfter: 120) == .inProgress)
            #expect(try await store.claimIdempotencyKey(Self.claim("k-1", actor: "bob"), expiry: 86_400, abandonAfter: 120) == .claimed,
                    "keys belong to their sender")
            try await store.completeIdempotencyKey(first, response: Self.response)
            #expect(try await store.claimIdempotencyKey(Self.claim("k-1", at: 1_000_100), expiry: 86_400, abandonAfter: 120) == .replay(Self.response))
            #expect(try await store.claimIdempotencyKey(Self.claim("k-1", body: #"{"title":"Other"}"#), expiry: 86_400, abandonAfter: 120) == .mismatch)

            // A claim whose request failed is released, so the retry runs.
            let failed = Self.claim("k-2")
            #expect(try await store.claimIdempotencyKey(failed, expiry: 86_400, abandonAfter: 120) == .claimed)
            try await store.releaseIdempotencyKey(failed)
            #expect(try await store.claimIdempotencyKey(failed, expiry: 86_400, abandonAfter: 120) == .claimed)
            // One left running past the abandon window (its server stopped) is taken over.
            #expect(try await store.claimIdempotencyKey(Self.claim("k-2", at: 1_000_500), expiry: 86_400, abandonAfter: 120) == .claimed)
            // After a day the key is free again.
            #expect(try await store.claimIdempotencyKey(Self.claim("k-1", at: 1_000_000 + 86_401), expiry: 86_400, abandonAfter: 120) == .claimed)
        }
    }

    @Test("16 clients claiming one key at once: exactly one runs", arguments: Backend.testable)
    func concurrentClaims(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store = scratch.store
            let results = await ConcurrentWriteTests.concurrently { _ in
                try await store.claimIdempotencyKey(Self.claim("same"), expiry: 86_400, abandonAfter: 120)
            }
            #expect(ConcurrentWriteTests.failures(results).isEmpty, "\(ConcurrentWriteTests.failures(results))")
            let outcomes = ConcurrentWriteTests.successes(results)
            #expect(outcomes.filter { $0 == .claimed }.count == 1)
            #expect(outcomes.filter { $0 == .inProgress }.count == ConcurrentWriteTests.clients - 1)
        }
    }
}
