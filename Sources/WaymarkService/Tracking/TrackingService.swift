import Foundation
import WaymarkCore
import WaymarkStorage

/// The risk and issue registers: record, escalate, convert, heat map, overdue, CSV.
/// Authorisation goes through `AccessGate`: out of scope reads as absent (404) before a
/// missing permission (403), and every change is audited with the record it changes.
public struct TrackingService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any TrackingRepository & OrganisationRepository & ProjectRepository & AuditRepository
    var clock: WaymarkClock { gate.clock }
    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    /// Which register a request names.
    public enum RegisterReference: Sendable, Hashable {
        case organisation(String)
        case project(String)
    }

    /// A register the actor may use, with the names pages show.
    public struct Register: Sendable {
        public var owner: RegisterOwner
        public var organisation: Organisation
        public var project: ProjectListing?
        public var reference: RegisterReference
        /// "Risks and issues of …".
        public var title: String
        /// False for a supplier or a site, whose pages gather the registers below them.
        public var holdsOwnRegister: Bool
    }

    /// Resolves a register for `activity`: 404 out of scope, then 403 without the permission.
    public func register(_ reference: RegisterReference, for activity: Activity, as user: ActingUser) async throws -> Register {
        switch reference {
        case .project(let code):
            let listing = try await gate.project(code: code, for: activity, as: user).0
            let scope = try await gate.authorise(.viewRecords, as: user)
            guard let organisation = try await store.organisation(id: listing.project.organisationID, scope: scope) else {
                throw ServiceError.unknownProject(code)
            }
            return Register(owner: .project(listing.project, heldBy: organisation), organisation: organisation, project: listing,
                            reference: reference, title: "\(listing.project.code) project register", holdsOwnRegister: true)
        case .organisation(let code):
            let organisation = try await gate.organisation(code: code, as: user).0
            if activity != .viewRecords { _ = try await gate.authorise(activity, as: user) }
            let holds = TrackingRules.holdsRegister(organisation.kind)
            return Register(owner: .organisation(organisation), organisation: organisation, project: nil, reference: reference,
                            title: "\(organisation.kind == .national ? "National" : organisation.name) register", holdsOwnRegister: holds)
        }
    }

    /// The register's own records, or with `below` everything in its subtree (a supplier's or a
    /// site's page always shows the registers below it).
    public func items(in register: Register, filter: TrackingQuery, below: Bool, as user: ActingUser) async throws -> Page<TrackingItem> {
        let scope = try await gate.authorise(.viewRecords, as: user)
        return try await store.trackingItems(query(in: register, filter: filter, below: below, scope: scope))
    }

    func query(in register: Register, filter: TrackingQuery, below: Bool, scope: AccessScope) -> TrackingQuery {
        var query = filter
        query.scope = scope
        if register.project == nil && (below || !register.holdsOwnRegister) {
            query.within = register.organisation
        } else {
            query.register = register.owner
        }
        if query.overdueToday { query.overdueOn = clock.today }
        return query
    }

    public struct ItemView: Sendable {
        public var item: TrackingItem
        /// Where it is held: the organisation, and the project for a project's register.
        public var organisation: Organisation?
        public var projectCode: String?
        /// The other ends of its links, where the actor can see them.
        public var escalatedTo: TrackingItem?
        public var escalatedFrom: TrackingItem?
        public var linked: TrackingItem?
        /// The register an escalation would go to (nil at national).
        public var escalationTarget: Organisation?
        public var history: [AuditRecord]
        public var canEdit: Bool
        public var today: Day
    }

    public func itemView(id: Int64, as user: ActingUser) async throws -> ItemView {
        let item = try await scopedItem(id: id, for: .viewRecords, as: user)
        let scope = try await gate.authorise(.viewRecords, as: user)
        func other(_ id: Int64?) async throws -> TrackingItem? {
            guard let id else { return nil }
            return try await store.trackingItem(id: id, scope: scope)
        }
        return ItemView(
            item: item, organisation: try await store.organisation(id: item.owner.organisationID, scope: scope), projectCode: item.owner.projectCode,
            escalatedTo: try await other(item.escalatedToID), escalatedFrom: try await other(item.escalatedFromID),
            linked: try await other(item.linkedItemID), escalationTarget: try await escalationTarget(of: item),
            history: try await store.auditEntries(AuditQuery(entityType: Self.entityType, entityID: item.id, changesOnly: false, limit: 30)).items,
            canEdit: user.permits(.recordRisks), today: clock.today)
    }

    static let entityType = "tracking"

    /// Checks, before a form is read, that the actor may change the record: 404, then 403.
    public func checkEditable(id: Int64, as user: ActingUser) async throws {
        _ = try await scopedItem(id: id, for: .recordRisks, as: user)
    }

    /// The item if the actor may do `activity` to it: 404 out of scope (audited), then 403.
    func scopedItem(id: Int64, for activity: Activity, as user: ActingUser) async throws -> TrackingItem {
        try await gate.inScope(
            Self.entityType, for: activity, as: user, notFound: ServiceError(.notFound, "No risk or issue has the number \(id)."),
            id: \.id) { try await store.trackingItem(id: id, scope: $0) }.0
    }

    /// The organisation above the item's register that would receive it; nil at national.
    func escalationTarget(of item: TrackingItem) async throws -> Organisation? {
        guard let target = TrackingRules.escalationTarget(of: item.owner) else { return nil }
        // Escalation hands a record upwards, to a register the actor may not see themselves.
        if let id = target.id { return try await store.organisation(id: id, scope: .national) }
        return try await store.national()
    }

    // MARK: Writes

    /// Raises a risk or issue in the register.
    public func raise(in reference: RegisterReference, _ entry: RegisterEntry, as user: ActingUser) async throws -> TrackingItem {
        let register = try await register(reference, for: .recordRisks, as: user)
        let item = try draft(in: register, entry)
        return try await save([(item, nil)], action: "raise \(item.kind.rawValue)", as: user)[0]
    }

    /// A new record in `register` from `entry`, checked; throws `ValidationFailure`.
    func draft(in register: Register, _ entry: RegisterEntry) throws -> TrackingItem {
        guard register.holdsOwnRegister else {
            throw ServiceError(.refused, register.organisation.kind == .supplier
                ? "Suppliers record risks in the registers of the projects they deliver, not a register of their own."
                : "Sites have no register of their own: record it in the trust's register or the project's.")
        }
        var item = TrackingItem(kind: .risk, owner: register.owner, title: "", area: .processAndPerformance,
                                inherent: Assessment(priority: .localised, controllability: .b, probability: 0),
                                ownerName: "", reviewDate: nil, raisedOn: clock.today)
        let errors = TrackingFields.apply(entry.fields, actions: entry.actions, to: &item, isNew: true)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return item
    }

    /// Changes a record at the version the sender read.
    public func update(id: Int64, _ entry: RegisterEntry, as user: ActingUser) async throws -> TrackingItem {
        let current = try await scopedItem(id: id, for: .recordRisks, as: user)
        try checkVersion(current, entry.expectedVersion)
        var item = current
        let errors = TrackingFields.apply(entry.fields, actions: entry.actions, to: &item, isNew: false)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard item != current else { return current }
        return try await save([(item, current)], action: "update \(item.kind.rawValue)", as: user)[0]
    }

    func checkVersion(_ item: TrackingItem, _ expected: Int?) throws {
        if let expected, expected != item.version {
            throw ServiceError(.staleVersion, "\(item.reference) has changed since you loaded it (version \(expected), now \(item.version)). Reload it and make your change again.")
        }
    }

    /// Saves changed records (each against the version it was read at), one audit entry each.
    /// `linksToNew` names, for a change's index, its link fields that point at a new record of
    /// the same save (by that record's index).
    func save(_ changes: [(item: TrackingItem, before: TrackingItem?)], action: String, newAction: String? = nil,
              linksToNew: [Int: [TrackingLinkField: Int]] = [:], as user: ActingUser) async throws -> [TrackingItem] {
        let changes = changes.enumerated().map { index, change in
            TrackingChange(item: change.item, expectedVersion: change.before?.version, linksToNew: linksToNew[index] ?? [:],
                           audit: audit(change.before == nil ? newAction ?? action : action, id: change.item.id,
                                        before: change.before, after: change.item, as: user))
        }
        do {
            return try await store.saveTrackingItems(changes)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "Someone else changed this record while you saved. Reload it and make your change again.")
        }
    }

    func audit(_ action: String, id: Int64, before: TrackingItem?, after: TrackingItem?, as user: ActingUser) -> AuditRecord {
        gate.auditRecord(action, entityType: Self.entityType, entityID: id, before: before.map(Self.snapshot),
                         after: after.map(Self.snapshot), as: user)
    }

    static func snapshot(_ item: TrackingItem) -> String {
        var values = TrackingFields.values(of: item)
        values["register"] = item.owner.projectID.map { "project \($0)" } ?? "organisation \(item.owner.organisationID)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(values)) ?? Data(), as: UTF8.self)
    }
}
