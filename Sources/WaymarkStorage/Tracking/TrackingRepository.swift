import WaymarkCore

/// Filters for a register list. Deny by default: without a scope nothing matches.
public struct TrackingQuery: Sendable {
    public var scope: AccessScope?
    /// Exactly this register (an organisation's own, or a project's).
    public var register: RegisterOwner?
    /// Everything in this organisation's subtree, its projects' registers included; for a
    /// supplier, the registers of the projects it delivers.
    public var within: Organisation?
    public var kind: TrackingKind?
    /// nil: any status.
    public var status: TrackingStatus?
    /// On the current rating (residual once recorded), as the heat map counts.
    public var priority: RiskPriority?
    public var controllability: Controllability?
    public var flaggedOnly: Bool
    /// Live items whose review date or an open action's due date is before this day.
    public var overdueOn: Day?
    /// Asks the service for overdue items as of its clock's today (it sets `overdueOn`), so no
    /// layer passes a placeholder day meaning "today".
    public var overdueToday: Bool
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, register: RegisterOwner? = nil, within: Organisation? = nil, kind: TrackingKind? = nil,
                status: TrackingStatus? = nil, priority: RiskPriority? = nil, controllability: Controllability? = nil,
                flaggedOnly: Bool = false, overdueOn: Day? = nil, overdueToday: Bool = false, after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.register = register
        self.within = within
        self.kind = kind
        self.status = status
        self.priority = priority
        self.controllability = controllability
        self.flaggedOnly = flaggedOnly
        self.overdueOn = overdueOn
        self.overdueToday = overdueToday
        self.after = after
        self.limit = limit
    }
}

/// A link field of a record that names another record created in the same save.
public enum TrackingLinkField: Sendable, Hashable {
    case linked, escalatedFrom, escalatedTo
}

/// One record to save: a new one (`expectedVersion` nil; the store numbers it and ignores
/// `item.id`) or a change to a stored one at `expectedVersion`, with its audit entry (the store
/// fills in the record's id).
public struct TrackingChange: Sendable {
    public var item: TrackingItem
    public var expectedVersion: Int?
    /// Link fields that point at a record this same save creates, by that record's index in the save.
    public var linksToNew: [TrackingLinkField: Int]
    public var audit: AuditRecord
    public init(item: TrackingItem, expectedVersion: Int?, linksToNew: [TrackingLinkField: Int] = [:], audit: AuditRecord) {
        self.item = item
        self.expectedVersion = expectedVersion
        self.linksToNew = linksToNew
        self.audit = audit
    }
}

/// The risk and issue registers (DOMAIN.md §7).
public protocol TrackingRepository: Sendable {
    func trackingItem(id: Int64, scope: AccessScope) async throws -> TrackingItem?
    func trackingItems(_ query: TrackingQuery) async throws -> Page<TrackingItem>
    /// How many records match (paging fields ignored).
    func trackingCount(_ query: TrackingQuery) async throws -> Int
    /// Live records in `organisation`'s subtree by current priority × controllability.
    func trackingHeatMap(within organisation: Organisation, kind: TrackingKind, scope: AccessScope) async throws -> TrackingHeatMap
    /// Saves every change and its audit entry in one transaction: all or nothing. A stale
    /// version fails the whole save as `.conflict`. Returns the records as this save committed
    /// them, in order, with their ids and versions.
    func saveTrackingItems(_ changes: [TrackingChange]) async throws -> [TrackingItem]
}
