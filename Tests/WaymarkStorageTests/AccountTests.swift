import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Accounts contract")
struct AccountTests {
    static func audit(_ action: String) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00Z", actor: "tests", origin: "tests", action: action, entityType: "user",
                    entityID: 0, before: nil, after: nil)
    }

    @Test("users are unique by name; sessions and tokens are stored by hash, revoked once, and read with their holder",
          arguments: Backend.testable)
    func accounts(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let trust = Fixture.organisation(.trust)
            let user = try await store.addUser(UserAccount(username: "pat", displayName: "Pat", role: .trustProjectManager,
                                                           organisationID: trust.id, passwordHash: "$2b$12$x"), audit: Self.audit("add user"))
            #expect(try await store.user(username: "PAT") == user)
            let before = try await scratch.counts()
            await #expect(throws: StorageError.self) {
                _ = try await store.addUser(UserAccount(username: "pat", displayName: "Other", role: .auditor, organisationID: trust.id,
                                                        passwordHash: "h"), audit: Self.audit("add user"))
            }
            #expect(try await scratch.counts() == before, "a duplicate changes nothing, audit included")

            try await store.createSession(SessionRecord(secretHash: "s1", userID: user.id, createdAt: 10, lastSeenAt: 10),
                                          replacing: nil, audit: Self.audit("sign in"))
            try await store.createSession(SessionRecord(secretHash: "s2", userID: user.id, createdAt: 20, lastSeenAt: 20),
                                          replacing: "s1", audit: Self.audit("sign in"))
            #expect(try await store.session(secretHash: "s1") == nil, "rotated away")
            try await store.touchSession(secretHash: "s2", at: 30)
            #expect(try await store.session(secretHash: "s2")?.lastSeenAt == 30)
            try await store.deleteExpiredSessions(idleCutoff: 31, ageCutoff: 0)
            #expect(try await store.session(secretHash: "s2") == nil)

            let token = try await store.createToken(APITokenRecord(userID: user.id, name: "ci", secretHash: "t1", scopes: [.read, .write],
                                                                   createdAt: 0, expiresAt: 100), audit: Self.audit("create API token"))
            let holder = try #require(try await store.tokenHolder(secretHash: "t1"))
            #expect(holder.token == token && holder.user == user && holder.organisation == trust)
            #expect(try await store.tokenHolder(secretHash: "nope") == nil)
            try await store.revokeToken(id: token.id, userID: user.id, at: 50, audit: Self.audit("revoke API token"))
            #expect(try await store.token(secretHash: "t1")?.revokedAt == 50)
            await #expect(throws: StorageError.self) {
                try await store.revokeToken(id: token.id, userID: user.id, at: 60, audit: Self.audit("revoke API token"))
            }
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }

    @Test("scoped reads never return records outside the scope", arguments: Backend.testable)
    func scopedReads(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch in
            let store = scratch.store
            let trust = Fixture.organisation(.trust)
            let scope = AccessScope.subtree(kind: .trust, id: trust.id)
            let all = try await store.projects(ProjectQuery(scope: scope, limit: 500)).items
            #expect(!all.isEmpty && all.allSatisfy { $0.project.ancestry.trustID == trust.id })
            let outside = try #require(Fixture.dataset.projects.first { $0.ancestry.trustID != trust.id })
            #expect(try await store.project(code: outside.code, scope: scope) == nil)
            #expect(try await store.projects(ProjectQuery(limit: 500)).items.isEmpty, "no scope, no rows")
            #expect(try await store.organisations(OrganisationQuery(limit: 500)).items.isEmpty, "no scope, no rows")
            let report = try await store.rollUp(for: Fixture.national, scope: scope)
            #expect(report.total.projects == all.count)
        }
    }
}
