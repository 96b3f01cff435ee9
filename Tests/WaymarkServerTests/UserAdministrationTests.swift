import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Users, administered (issue 13), on both backends: each refusal says why and writes nothing,
/// each change is audited, and a deactivated user is stopped at once.
@Suite("Users: add, edit, deactivate, no escalation")
struct UserAdministrationTests {
    static func admin(_ app: TestApp) async throws -> ActingUser {
        try await app.accounts.actingUser(try await app.signIn(.systemAdministrator).user, origin: "tests")
    }

    static func error(_ body: () async throws -> Void) async -> (any Error)? {
        do { try await body() } catch { return error }
        return nil
    }

    static func userCount(_ app: TestApp) async throws -> Int {
        try await app.store.users(UserQuery(scope: .national, limit: 500)).items.count
    }

    static func audits(_ app: TestApp, _ id: Int64) async throws -> [String] {
        try await app.store.auditEntries(entityType: "user", entityID: id, limit: 20).map(\.action)
    }

    @Test("adding: a bad username, an unknown organisation, a role at the wrong level or a taken username add no one; a good user is audited",
          arguments: Backend.testable)
    func add(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let users = UserAdministration(accounts: app.accounts)
            let admin = try await Self.admin(app)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let before = try await Self.userCount(app)
            for (change, field, fragment) in [
                (UserChange(username: "no good!", name: "Pat", role: "auditor", organisation: "NPO"), "username", "3 to 64"),
                (UserChange(username: "pat", name: "Pat", role: "auditor", organisation: "NOPE"), "organisation", "No organisation has the code 'NOPE'"),
                (UserChange(username: "pat", name: "Pat", role: "trust-project-manager", organisation: sha.code), "role", "belongs at a"),
                (UserChange(username: "pat", name: " ", role: "wizard", organisation: trust.code), "name", "full name"),
                (UserChange(username: admin.name, name: "Copy", role: "auditor", organisation: "NPO"), "username", "is taken"),
            ] {
                let refused = await Self.error { _ = try await users.create(change, as: admin) } as? ValidationFailure
                #expect(refused?.errors.contains { $0.field == field && $0.message.contains(fragment) } == true, "\(change): \(String(describing: refused))")
            }
            #expect(try await Self.userCount(app) == before, "nothing was written")
            let added = try await users.create(UserChange(username: "Pat.Manager", name: "Pat Manager", role: "trust-project-manager",
                                                          organisation: trust.code.lowercased()), as: admin)
            #expect(added.user.username == "pat.manager" && added.organisation.id == trust.id && added.user.version == 1)
            #expect(try await app.store.user(username: "pat.manager")?.passwordHash == "!", "no password until a reset link is used")
            let audit = try await app.store.auditEntries(entityType: "user", entityID: added.user.id, limit: 5)
            #expect(audit.map(\.action) == ["add user"] && audit[0].actor == admin.name && audit[0].after?.contains(trust.code) == true)
        }
    }

    @Test("editing needs the version read; deactivating ends sessions and revokes tokens at once (the cache too); reactivating lets them back",
          arguments: Backend.testable)
    func editAndDeactivate(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let users = UserAdministration(accounts: app.accounts)
            let admin = try await Self.admin(app)
            let target = try await app.signIn(.trustProjectManager)
            let username = target.user.username
            // The token is now in this node's cache.
            _ = try await app.accounts.user(bearerToken: target.token, origin: "tests")
            let stale = await Self.error { _ = try await users.update(username, UserChange(name: "New", expectedVersion: 9), as: admin) }
            #expect((stale as? ServiceError)?.kind == .staleVersion)
            let missing = await Self.error { _ = try await users.update(username, UserChange(name: "New"), as: admin) }
            #expect((missing as? ServiceError)?.kind == .versionRequired)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let moved = try await users.update(username, UserChange(name: "Pat Office", role: "sha-programme-office", organisation: sha.code,
                                                                   expectedVersion: 1), as: admin)
            #expect(moved.user.role == .shaProgrammeOffice && moved.organisation.id == sha.id && moved.user.version == 2)
            #expect(try await app.accounts.user(bearerToken: target.token, origin: "tests").role == .shaProgrammeOffice,
                    "a changed role takes effect at once, cached token or not")

            let off = try await users.setActive(username, false, expectedVersion: 2, as: admin)
            #expect(!off.user.active)
            #expect(try await app.accounts.user(sessionSecret: target.sessionSecret, origin: "tests") == nil)
            #expect(try await app.store.session(secretHash: Secrets.hash(target.sessionSecret)) == nil, "the session row is gone")
            let refused = await Self.error { _ = try await app.accounts.user(bearerToken: target.token, origin: "tests") }
            #expect((refused as? ServiceError)?.kind == .unauthorised)
            #expect(try await app.store.tokens(userID: target.user.id).allSatisfy { $0.revokedAt != nil })
            let again = await Self.error { _ = try await users.setActive(username, false, expectedVersion: 3, as: admin) }
            #expect((again as? ServiceError)?.kind == .conflict)
            _ = try await users.setActive(username, true, expectedVersion: 3, as: admin)
            #expect(try await Self.audits(app, target.user.id).prefix(3) == ["reactivate user", "deactivate user", "edit user"])
        }
    }

    @Test("no escalation: a narrowed token, a local administrator and an administrator changing themselves are refused (403), audited, and write nothing",
          arguments: Backend.testable)
    func escalation(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let users = UserAdministration(accounts: app.accounts)
            let admin = try await Self.admin(app)
            let before = try await Self.userCount(app)
            let writeOnly = try await app.signIn(.systemAdministrator, tokenScopes: [.write])
            let narrowed = try await app.accounts.user(bearerToken: writeOnly.token, origin: "tests")
            let minted = await Self.error {
                _ = try await users.create(UserChange(username: "shadow", name: "Shadow", role: "system-administrator", organisation: "NPO"), as: narrowed)
            }
            #expect((minted as? ServiceError)?.kind == .forbidden && (minted as? ServiceError)?.message.contains("rights you do not hold") == true)
            #expect(try await app.store.user(username: "shadow") == nil)

            // No role lets a local administrator exist today; the rule is written for one.
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let local = ActingUser(name: "local-admin", role: .systemAdministrator, scope: .subtree(kind: .sha, id: sha.id),
                                   grants: [.viewRecords, .manageUsers], origin: "tests")
            let stronger = await Self.error {
                _ = try await users.create(UserChange(username: "newpm", name: "New PM", role: "trust-project-manager", organisation: trust.code), as: local)
            }
            #expect((stronger as? ServiceError)?.kind == .forbidden)
            let pm = try await app.signIn(.trustProjectManager)
            let takeover = await Self.error { _ = try await users.createResetLink(pm.user.username, as: local) }
            #expect((takeover as? ServiceError)?.kind == .forbidden, "resetting a stronger user's password is taking their account")
            let elsewhere: Organisation = try #require(app.dataset.organisations.first { $0.kind == .trust && $0.ancestry.shaID != sha.id })
            let outside = try await app.signIn(.trustProjectManager, at: elsewhere)
            let hidden = await Self.error { _ = try await users.user(outside.user.username, as: local) }
            #expect((hidden as? ServiceError)?.kind == .notFound, "out of scope reads as unknown")

            let me = try #require(admin.account)
            let promote = await Self.error {
                _ = try await users.update(me.username, UserChange(role: "national-programme-office", expectedVersion: me.version), as: admin)
            }
            #expect((promote as? ServiceError)?.kind == .forbidden)
            let lockout = await Self.error { _ = try await users.setActive(me.username, false, expectedVersion: me.version, as: admin) }
            #expect((lockout as? ServiceError)?.kind == .forbidden)
            #expect(try await app.store.user(id: me.id) == me, "unchanged")
            #expect(try await Self.userCount(app) == before + 3, "only the test's own sign-ins were added")
            let denials = try await app.store.auditEntries(AuditQuery(limit: 50)).items.map(\.action).filter { $0.hasPrefix("denied: ") }
            #expect(denials.contains("denied: grant system-administrator") && denials.contains("denied: change own role"))
        }
    }

    @Test("a reset link is stored as a hash, expires, works once, and ends the user's sessions; a new one replaces it",
          arguments: Backend.testable)
    func resetLink(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let users = UserAdministration(accounts: app.accounts)
            let admin = try await Self.admin(app)
            let target = try await app.signIn(.trustProjectManager)
            let first = try await users.createResetLink(target.user.username, as: admin)
            let link = try await users.createResetLink(target.user.username, as: admin)
            #expect(try await app.store.passwordReset(secretHash: link.secret) == nil, "only the hash is stored")
            #expect(link.expiresAt == app.clockSeconds + 86_400)
            let replaced = await Self.error { _ = try await app.accounts.passwordResetUser(secret: first.secret) }
            #expect((replaced as? ServiceError)?.kind == .notFound)

            let weak = await Self.error { _ = try await app.accounts.resetPassword(secret: link.secret, password: "short", confirmation: "short", origin: "tests") }
            #expect((weak as? ValidationFailure)?.errors.map(\.field) == ["password"])
            let password = "a long enough new password"
            try await app.accounts.resetPassword(secret: link.secret, password: password, confirmation: password, origin: "tests")
            #expect(try await app.accounts.user(sessionSecret: target.sessionSecret, origin: "tests") == nil, "other sessions end")
            #expect(try await app.accounts.signIn(username: target.user.username, password: password, origin: "tests").user.name == target.user.username)
            let reused = await Self.error { try await app.accounts.resetPassword(secret: link.secret, password: password, confirmation: password, origin: "tests") }
            #expect((reused as? ServiceError)?.kind == .notFound, "single use")

            let late = try await users.createResetLink(target.user.username, as: admin)
            let expiry = Double(late.expiresAt)
            let tomorrow = AccountService(store: app.store, clock: WaymarkClock { Date(timeIntervalSince1970: expiry + 1) })
            let expired = await Self.error { _ = try await tomorrow.passwordResetUser(secret: late.secret) }
            #expect((expired as? ServiceError)?.kind == .notFound)
            #expect(try await Self.audits(app, target.user.id).contains("reset password"))
        }
    }
}
