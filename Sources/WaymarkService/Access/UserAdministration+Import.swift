import Foundation
import WaymarkCore
import WaymarkStorage

/// Bulk import of users from CSV (issue 13): a preview, then the same plan applied as one
/// audited change. All or nothing; every rejected row is listed by line. Imported users have
/// no password until they use a reset link.
extension UserAdministration {
    public static let maximumImportBytes = 4 * 1024 * 1024

    public struct ImportPreview: Sendable {
        public var plan: UserImport.Plan
        /// Give this back to apply exactly what was shown.
        public var fingerprint: String
    }

    /// What importing `data` would add; writes nothing.
    public func previewImport(_ data: Data, as user: ActingUser) async throws -> ImportPreview {
        try await plan(data, as: user)
    }

    /// Adds every user in `data`. With `expectedFingerprint` (from a preview), refuses if the
    /// plan has changed since.
    @discardableResult
    public func applyImport(_ data: Data, expectedFingerprint: String?, as user: ActingUser) async throws -> ImportPreview {
        let preview = try await plan(data, as: user)
        if let expectedFingerprint, expectedFingerprint != preview.fingerprint {
            throw ServiceError(.conflict, "The users or organisations changed since the preview, so the import would now do something else. Preview the file again.")
        }
        let accounts = preview.plan.additions.map {
            UserAccount(username: $0.username, displayName: $0.displayName, role: $0.role, organisationID: $0.organisation.id,
                        passwordHash: Self.noPassword)
        }
        let summary = "{\"added\":\(accounts.count),\"file\":\"\(Secrets.sha256Hex([UInt8](data)))\"}"
        do {
            try await store.addUsers(accounts, audit: gate.auditRecord("import users", entityType: Self.entityType, entityID: 0,
                                                                       after: summary, as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "A username in the file was taken while it was being imported, so nothing was imported. Import it again.")
        }
        return preview
    }

    /// The plan for the file, or every reason it cannot be applied.
    func plan(_ data: Data, as user: ActingUser) async throws -> ImportPreview {
        let scope = try await gate.authorise(.manageUsers, as: user)
        let rows = try ImportRejected.records(data, maximumBytes: Self.maximumImportBytes)
        let candidates = Set(rows.dropFirst().flatMap { $0.1 }.compactMap(UserAccount.normalisedUsername))
        let plan = UserImport.plan(rows, organisations: try await store.organisationsByCode(),
                                   taken: try await store.takenUsernames(among: Array(candidates)),
                                   grantor: UserRules.Grantor(grants: user.grants, scope: scope))
        guard plan.problems.isEmpty else {
            throw ImportRejected(problems: plan.problems.map { ImportProblem(line: $0.line, message: $0.message) })
        }
        return ImportPreview(plan: plan, fingerprint: Secrets.sha256Hex(Array(plan.fingerprint.utf8)))
    }
}
