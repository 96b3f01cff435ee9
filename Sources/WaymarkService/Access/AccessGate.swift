import Foundation
import WaymarkCore
import WaymarkStorage

/// The one access gate. Every service asks it three things: may this actor do this activity
/// (and over which scope), fetch this record if it is in the actor's scope (otherwise "not
/// found"), and record a refusal. The rule "out of scope reads as absent (404) before a missing
/// permission (403), and both are audited" is written here and nowhere else.
public struct AccessGate: Sendable {
    /// Organisations and projects are the backbone every scope is cut from.
    let records: any OrganisationRepository & ProjectRepository & AuditRepository
    public let clock: WaymarkClock

    public init(records: any OrganisationRepository & ProjectRepository & AuditRepository, clock: WaymarkClock) {
        self.records = records
        self.clock = clock
    }

    /// The actor's scope if their role (and token) permit `activity`; otherwise an audited refusal.
    /// Every query is then built from the scope it returns.
    public func authorise(_ activity: Activity, as user: ActingUser) async throws -> AccessScope {
        guard let scope = user.scope, user.grants.contains(activity) else {
            await auditDenial("denied: \(activity.rawValue)", entityType: "user", entityID: user.account?.id ?? 0, as: user)
            throw ServiceError(.forbidden, user.refusal(activity))
        }
        return scope
    }

    /// The record `fetch` finds in the actor's scope, checked for `activity`: out of scope reads
    /// exactly like unknown (`notFound`, with the attempt audited) before the activity is checked.
    public func inScope<Record: Sendable>(
        _ entityType: String, for activity: Activity = .viewRecords, as user: ActingUser,
        notFound: @autoclosure () -> ServiceError,
        id: (Record) -> Int64,
        fetch: (AccessScope) async throws -> Record?
    ) async throws -> (Record, AccessScope) {
        let scope = try await authorise(.viewRecords, as: user)
        guard let record = try await fetch(scope) else {
            if scope != .national, let hidden = try await fetch(.national) {
                await auditDenial("denied: out of scope", entityType: entityType, entityID: id(hidden), as: user)
            }
            throw notFound()
        }
        if activity != .viewRecords { _ = try await authorise(activity, as: user) }
        return (record, scope)
    }

    /// Records a refused attempt. Auditing must never turn a refusal into a different error,
    /// so a failure to write it is not rethrown.
    public func auditDenial(_ action: String, entityType: String, entityID: Int64, as user: ActingUser) async {
        try? await records.recordAudit(auditRecord(action, entityType: entityType, entityID: entityID, after: nil, as: user))
    }

    /// The audit entry for a change, built in one place: who, from where, when, and the record's
    /// state before and after. The caller saves it in the change's own transaction.
    /// `at` is given when the change carries its own time (a decision, a sign-off).
    public func auditRecord(_ action: String, entityType: String, entityID: Int64, before: String? = nil, after: String?,
                            at: String? = nil, as user: ActingUser) -> AuditRecord {
        AuditRecord(at: at ?? clock.timestamp, actor: user.name, origin: user.origin, action: action,
                    entityType: entityType, entityID: entityID, before: before, after: after)
    }
}

// MARK: The scope backbone: organisations and projects

extension AccessGate {
    /// The project with `code` if the actor may do `activity` to it. Supplier staff's reads are
    /// audited too: they see records of organisations they do not belong to.
    public func project(code: String, for activity: Activity = .viewRecords, as user: ActingUser) async throws -> (ProjectListing, AccessScope) {
        let (listing, scope) = try await inScope("project", for: activity, as: user, notFound: ServiceError.unknownProject(code),
                                                 id: { $0.project.id }) { try await records.project(code: code, scope: $0) }
        if user.isSupplier {
            try await records.recordAudit(auditRecord("read project", entityType: "project", entityID: listing.project.id,
                                                      after: nil, as: user))
        }
        return (listing, scope)
    }

    /// The organisation with `code`, or the top of the actor's scope when `code` is nil.
    public func organisation(code: String?, for activity: Activity = .viewRecords, as user: ActingUser) async throws -> (Organisation, AccessScope) {
        guard let code else {
            let scope = try await authorise(activity, as: user)
            let home: Organisation?
            switch scope {
            case .national: home = try await records.national()
            case .subtree(_, let id), .supplier(let id): home = try await records.organisation(id: id, scope: scope)
            }
            guard let home else {
                throw ServiceError(.notFound, "The database holds no programme yet; run `waymark seed --demo`.")
            }
            return (home, scope)
        }
        return try await inScope("organisation", for: activity, as: user, notFound: ServiceError.unknownOrganisation(code),
                                 id: \.id) { try await records.organisation(code: code, scope: $0) }
    }
}
