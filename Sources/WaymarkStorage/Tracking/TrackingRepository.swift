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
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, register: RegisterOwner? = nil, within: Organisation? = nil, kind: TrackingKind? = nil,
                status: TrackingStatus? = nil, priority: RiskPriority? = nil, controllability: Controllability? = nil,
                flaggedOnly: Bool = false, overdueOn: Day? = nil, after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.register = register
        self.within = within
        self.kind = kind
        self.status = status
        self.priority = priority
        self.controllability = controllability
        self.flaggedOnly = flaggedOnly
        self.overdueOn = overdueOn
        self.after = after
        self.limit = limit
    }
}

/// One record to save: a new one (id 0, `expectedVersion` nil) or a change to a stored one at
/// `expectedVersion`. A link field holding -n refers to the n-th new record in the same save.
public struct TrackingChange: Sendable {
    public var item: TrackingItem
    public var expectedVersion: Int?
    public init(item: TrackingItem, expectedVersion: Int?) {
        self.item = item
        self.expectedVersion = expectedVersion
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
    /// Saves every change and the audit entries in one transaction: all or nothing. A stale
    /// version fails the whole save as `.conflict`. Returns the saved records, in order, with
    /// their ids and versions.
    func saveTrackingItems(_ changes: [TrackingChange], audits: [AuditRecord]) async throws -> [TrackingItem]
}
