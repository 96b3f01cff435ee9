/// The register's rules, pure so the web form, the API and the CSV import share them.
public enum TrackingRules {
    public static let maximumTitle = 200
    public static let maximumText = 4000
    public static let maximumActions = 50

    /// Every problem with an item as entered; empty when it can be saved.
    public static func validate(_ item: TrackingItem) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ field: String, _ ok: Bool, _ message: String) {
            if !ok { errors.append(FieldError(field: field, message: message)) }
        }
        check("title", !item.title.isBlank, "Give the \(item.kind.rawValue) a title.")
        check("title", item.title.count <= maximumTitle, "Keep the title to \(maximumTitle) characters.")
        // Messages name the field in words; the key is the field name the form and API use.
        for (field, label, text) in [("description", "the description", item.description), ("cause", "the cause", item.cause),
                                     ("effect", "the effect", item.effect), ("contingencyPlan", "the contingency plan", item.contingencyPlan),
                                     ("response", "the response", item.response), ("resolution", "the resolution", item.resolution),
                                     ("reason", "the escalation reason", item.escalationReason)] {
            check(field, text.count <= maximumText, "Keep \(label) to \(maximumText) characters.")
        }
        check("owner", !item.ownerName.isBlank, "Name the person who owns it.")
        check("owner", item.ownerName.count <= 120, "Keep the owner's name to 120 characters.")
        check("probability", (0...100).contains(item.inherent.probability),
              "Probability must be a percentage from 0 to 100, not \(item.inherent.probability).")
        if let residual = item.residual {
            check("residualProbability", (0...100).contains(residual.probability),
                  "Residual probability must be a percentage from 0 to 100, not \(residual.probability).")
        }
        check("actions", item.actions.count <= maximumActions, "A register entry holds at most \(maximumActions) actions.")
        for (index, action) in item.actions.enumerated() {
            check(TrackingFields.actionField(index, "description"), !action.description.isBlank && action.description.count <= 1000,
                  "Action \(index + 1) needs a description of up to 1,000 characters.")
            check(TrackingFields.actionField(index, "owner"), !action.owner.isBlank && action.owner.count <= 120,
                  "Action \(index + 1) needs an owner (up to 120 characters).")
        }
        if item.kind == .issue {
            check("occurredOn", item.occurredOn != nil, "Give the date the issue occurred.")
        } else {
            check("occurredOn", item.occurredOn == nil, "Only issues have an occurred date; convert the risk to an issue instead.")
        }
        if item.status == .closed, item.kind == .issue {
            check("resolution", !item.resolution.isBlank, "Say how the issue was resolved before closing it.")
        }
        return errors
    }

    /// The register a record at `owner` escalates to: project → its trust (or the nearest
    /// level above when it is held higher); trust and LHC → SHA; SHA → cluster; cluster →
    /// national (DOMAIN.md §7). nil at national: nothing is above it.
    public static func escalationTarget(of owner: RegisterOwner) -> (kind: OrganisationKind, id: Int64?)? {
        let a = owner.ancestry
        if owner.projectID != nil {
            if let trust = a.trustID { return (.trust, trust) }
            if let lhc = a.lhcID { return (.lhc, lhc) }
            if let sha = a.shaID { return (.sha, sha) }
            if let cluster = a.clusterID { return (.cluster, cluster) }
            return (.national, nil)
        }
        switch owner.organisationKind {
        case .site, .trust, .lhc:
            if let sha = a.shaID { return (.sha, sha) }
            if let cluster = a.clusterID { return (.cluster, cluster) }
            return (.national, nil)
        case .sha: return a.clusterID.map { (.cluster, $0) } ?? (.national, nil)
        case .cluster: return (.national, nil)
        case .national, .supplier: return nil
        }
    }

    /// Organisations that hold registers of their own (sites' records belong to their trust).
    public static func holdsRegister(_ kind: OrganisationKind) -> Bool {
        [.national, .cluster, .sha, .lhc, .trust].contains(kind)
    }

    /// The copy the level above sees: the same content, live in its register, linked back.
    public static func escalatedCopy(of item: TrackingItem, to owner: RegisterOwner, reason: String, today: Day) -> TrackingItem {
        var copy = item
        copy.id = 0
        copy.owner = owner
        copy.status = .open
        copy.escalatedFromID = item.id
        copy.escalatedToID = nil
        copy.escalationReason = reason
        copy.raisedOn = today
        copy.version = 1
        return copy
    }

    /// The issue a risk becomes when it occurs: same content, linked back, probability 100.
    public static func issue(from risk: TrackingItem, occurredOn: Day, today: Day) -> TrackingItem {
        var issue = risk
        issue.id = 0
        issue.kind = .issue
        issue.status = .open
        issue.occurredOn = occurredOn
        issue.inherent.probability = 100
        issue.residual = nil
        issue.linkedItemID = risk.id
        issue.escalatedFromID = nil
        issue.escalatedToID = nil
        issue.escalationReason = ""
        issue.raisedOn = today
        issue.version = 1
        return issue
    }
}

/// Counts of live records by priority × controllability, for one organisation's subtree.
public struct TrackingHeatMap: Hashable, Sendable {
    /// counts[priority.rawValue - 1][controllability index]
    public var counts: [[Int]]
    /// Live risks missing their required plan.
    public var flagged: Int

    public init(counts: [[Int]] = Array(repeating: Array(repeating: 0, count: 4), count: 5), flagged: Int = 0) {
        self.counts = counts
        self.flagged = flagged
    }

    public func count(_ priority: RiskPriority, _ controllability: Controllability) -> Int {
        counts[priority.rawValue - 1][Controllability.allCases.firstIndex(of: controllability)!]
    }

    public mutating func add(_ priority: RiskPriority, _ controllability: Controllability, _ n: Int) {
        counts[priority.rawValue - 1][Controllability.allCases.firstIndex(of: controllability)!] += n
    }

    public var total: Int { counts.joined().reduce(0, +) }
    public var largest: Int { counts.joined().max() ?? 0 }
}
