import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// User administration over the API (issue 13). Each body becomes the same `UserChange` a form
/// does; the account service is the one whose token cache a deactivation clears.
extension APIHandler {
    var users: UserAdministration { UserAdministration(accounts: accounts) }

    func listUsers(_ input: Operations.listUsers.Input) async throws -> Operations.listUsers.Output {
        let q = input.query
        try Self.checkLimit(q.limit)
        try Self.checkText(q.q)
        let page = try await users.users(UserQuery(role: q.role.flatMap { Role(rawValue: $0.rawValue) }, text: q.q, after: q.after,
                                                   limit: q.limit ?? 25), organisation: q.organisation, as: user)
        return .ok(.init(body: .json(.init(items: page.items.map(Self.userBody), nextCursor: page.nextCursor))))
    }

    func getUser(_ input: Operations.getUser.Input) async throws -> Operations.getUser.Output {
        let listing = try await users.user(input.path.username, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(listing.user.version)), body: .json(Self.userBody(listing))))
    }

    func createUser(_ input: Operations.createUser.Input) async throws -> Operations.createUser.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the user as JSON.") }
        let created = try await users.create(UserChange(username: body.username, name: body.name, role: body.role.rawValue,
                                                        organisation: body.organisation), as: user)
        return .created(.init(headers: .init(ETag: Self.etag(created.user.version)), body: .json(Self.userBody(created))))
    }

    func updateUser(_ input: Operations.updateUser.Input) async throws -> Operations.updateUser.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the changes as JSON.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the user")
        let saved = try await users.update(input.path.username, UserChange(
            name: body.name, role: body.role?.rawValue, organisation: body.organisation, expectedVersion: version), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.user.version)), body: .json(Self.userBody(saved))))
    }

    func deactivateUser(_ input: Operations.deactivateUser.Input) async throws -> Operations.deactivateUser.Output {
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the user")
        let saved = try await users.setActive(input.path.username, false, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.user.version)), body: .json(Self.userBody(saved))))
    }

    func reactivateUser(_ input: Operations.reactivateUser.Input) async throws -> Operations.reactivateUser.Output {
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the user")
        let saved = try await users.setActive(input.path.username, true, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.user.version)), body: .json(Self.userBody(saved))))
    }

    func createPasswordResetLink(_ input: Operations.createPasswordResetLink.Input) async throws -> Operations.createPasswordResetLink.Output {
        let link = try await users.createResetLink(input.path.username, as: user)
        return .created(.init(body: .json(.init(username: link.user.user.username, path: link.path,
                                                expiresAt: Date(timeIntervalSince1970: Double(link.expiresAt))))))
    }

    func importUsers(_ input: Operations.importUsers.Input) async throws -> Operations.importUsers.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        let data = try await Data(collecting: body, upTo: UserAdministration.maximumImportBytes)
        let dryRun = input.query.dryRun == true
        let preview = dryRun ? try await users.previewImport(data, as: user)
            : try await users.applyImport(data, expectedFingerprint: input.query.fingerprint, as: user)
        return .ok(.init(body: .json(.init(applied: !dryRun, added: preview.plan.additions.count, fingerprint: preview.fingerprint,
                                           additions: preview.plan.additions.map(\.username)))))
    }

    static func userBody(_ listing: UserListing) -> Components.Schemas.User {
        let u = listing.user, o = listing.organisation
        return .init(username: u.username, name: u.displayName, role: .init(rawValue: u.role.rawValue)!,
                     organisation: .init(code: o.code, name: o.name, kind: .init(rawValue: o.kind.rawValue)!),
                     active: u.active, version: u.version)
    }
}
