import WaymarkCore
import WaymarkStorage

/// Escalation one level up (trust → SHA → cluster → national), de-escalation back down, and a
/// risk that occurs becoming an issue. Each changes two records in one transaction, both audited.
extension TrackingService {
    public func escalate(id: Int64, reason: String, expectedVersion: Int?, as user: ActingUser) async throws -> (original: TrackingItem, copy: TrackingItem) {
        let item = try await scopedItem(id: id, for: .recordRisks, as: user)
        try checkVersion(item, expectedVersion)
        let reason = try Self.reason(reason, for: "escalating")
        guard item.status == .open else {
            throw ServiceError(.refused, "\(item.reference) is \(item.status.title.lowercased()); only an open \(item.kind.rawValue) can be escalated.")
        }
        guard let target = try await escalationTarget(of: item) else {
            throw ServiceError(.refused, "\(item.reference) is already in the national register: there is no level above national to escalate to.")
        }
        var original = item
        original.status = .escalated
        original.escalationReason = reason
        let copy = TrackingRules.escalatedCopy(of: item, to: .organisation(target), reason: reason, today: clock.today)
        let saved = try await save([(original, item), (copy, nil)], action: "escalate \(item.kind.rawValue) to \(target.code)",
                                   newAction: "receive escalated \(item.kind.rawValue) \(item.reference)",
                                   linksToNew: [0: [.escalatedTo: 1]], as: user)
        return (saved[0], saved[1])
    }

    /// Hands an escalated copy back to the register it came from, which manages it again.
    public func deEscalate(id: Int64, reason: String, expectedVersion: Int?, as user: ActingUser) async throws -> (copy: TrackingItem, original: TrackingItem) {
        let copy = try await scopedItem(id: id, for: .recordRisks, as: user)
        try checkVersion(copy, expectedVersion)
        let reason = try Self.reason(reason, for: "returning it")
        guard let fromID = copy.escalatedFromID, copy.status == .open,
              let original = try await store.trackingItem(id: fromID, scope: .national), original.status == .escalated else {
            throw ServiceError(.refused, "\(copy.reference) was not escalated to this register (or has already been returned), so there is nothing to de-escalate.")
        }
        var returned = copy
        returned.status = .returned
        returned.escalationReason = reason
        var resumed = original
        resumed.status = .open
        resumed.escalatedToID = nil
        resumed.escalationReason = "Returned by the level above: \(reason)"
        let saved = try await save([(returned, copy), (resumed, original)], action: "de-escalate \(copy.kind.rawValue)", as: user)
        return (saved[0], saved[1])
    }

    /// A risk that has happened becomes an issue, keeping the link both ways.
    public func convertToIssue(id: Int64, occurredOn text: String, expectedVersion: Int?, as user: ActingUser) async throws -> (risk: TrackingItem, issue: TrackingItem) {
        let risk = try await scopedItem(id: id, for: .recordRisks, as: user)
        try checkVersion(risk, expectedVersion)
        guard let occurredOn = Day(iso: text.trimmedWhitespace) else {
            throw ValidationFailure([FieldError(field: "occurredOn", message: "Enter the date the risk occurred as YYYY-MM-DD, for example 2026-03-31.")])
        }
        guard risk.kind == .risk, risk.status == .open else {
            throw ServiceError(.refused, "Only an open risk can be converted into an issue; \(risk.reference) is \(risk.kind == .issue ? "an issue" : risk.status.title.lowercased()).")
        }
        guard occurredOn <= clock.today else {
            throw ValidationFailure([FieldError(field: "occurredOn", message: "The date it occurred cannot be in the future (today is \(clock.today.iso)).")])
        }
        var occurred = risk
        occurred.status = .occurred
        let issue = TrackingRules.issue(from: risk, occurredOn: occurredOn, today: clock.today)
        let saved = try await save([(occurred, risk), (issue, nil)], action: "risk occurred", newAction: "issue raised from \(risk.reference)",
                               linksToNew: [0: [.linked: 1]], as: user)
        return (saved[0], saved[1])
    }

    static func reason(_ text: String, for action: String) throws -> String {
        let reason = text.trimmedWhitespace
        guard (1...1000).contains(reason.count) else {
            throw ValidationFailure([FieldError(field: "reason", message: "Give a reason for \(action) (up to 1,000 characters).")])
        }
        return reason
    }

    // MARK: Dashboards

    public struct HeatMapView: Sendable {
        public var organisation: Organisation
        public var kind: TrackingKind
        public var map: TrackingHeatMap
    }

    /// Live records in the organisation's subtree by priority × controllability.
    public func heatMap(organisationCode: String?, kind: TrackingKind, as user: ActingUser) async throws -> HeatMapView {
        let scope = try await gate.authorise(.viewRecords, as: user)
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        return HeatMapView(organisation: organisation, kind: kind,
                           map: try await store.trackingHeatMap(within: organisation, kind: kind, scope: scope))
    }

    /// Counts for a register panel: live risks and issues, flagged and overdue, in `register`.
    public struct Summary: Sendable {
        public var openRisks: Int
        public var openIssues: Int
        public var flagged: Int
        public var overdue: Int
    }

    public func summary(of register: Register, below: Bool, as user: ActingUser) async throws -> Summary {
        let scope = try await gate.authorise(.viewRecords, as: user)
        func count(_ filter: TrackingQuery) async throws -> Int {
            try await store.trackingCount(query(in: register, filter: filter, below: below, scope: scope))
        }
        return Summary(openRisks: try await count(TrackingQuery(kind: .risk, status: .open)),
                       openIssues: try await count(TrackingQuery(kind: .issue, status: .open)),
                       flagged: try await count(TrackingQuery(status: .open, flaggedOnly: true)),
                       overdue: try await count(TrackingQuery(overdueOn: clock.today)))
    }
}
