/// The Tracking Database's two registers share one record shape (DOMAIN.md §7): a risk may
/// happen; an issue has happened.
public enum TrackingKind: String, CaseIterable, Sendable, Codable {
    case risk, issue
    public var title: String { self == .risk ? "Risk" : "Issue" }
    public var prefix: String { self == .risk ? "R" : "I" }
}

public enum TrackingStatus: String, CaseIterable, Sendable, Codable {
    /// Being managed in this register.
    case open
    /// Handed up a level; the copy there is the live one until it is returned.
    case escalated
    /// A risk that happened and became an issue (the issue links back).
    case occurred
    case closed
    /// An escalated copy that the higher level handed back down.
    case returned

    public var title: String {
        switch self {
        case .open: "Open"
        case .escalated: "Escalated"
        case .occurred: "Occurred (now an issue)"
        case .closed: "Closed"
        case .returned: "Returned to the level below"
        }
    }
    /// Still being managed here: reviews and actions fall due, and it counts in heat maps.
    public var isLive: Bool { self == .open }
}

/// Priority, controllability and probability at one moment: before mitigation (inherent) or
/// after the planned actions (residual).
public struct Assessment: Hashable, Sendable, Codable {
    public var priority: RiskPriority
    public var controllability: Controllability
    /// 0-100.
    public var probability: Int

    public init(priority: RiskPriority, controllability: Controllability, probability: Int) {
        self.priority = priority
        self.controllability = controllability
        self.probability = probability
    }
}

public struct MitigatingAction: Hashable, Sendable, Codable {
    public var description: String
    public var owner: String
    public var due: Day
    public var done: Bool

    public init(description: String, owner: String, due: Day, done: Bool = false) {
        self.description = description
        self.owner = owner
        self.due = due
        self.done = done
    }
}

/// Where a register sits: one project's, or an organisation's (trust, LHC, SHA, cluster, national).
public struct RegisterOwner: Hashable, Sendable {
    public var organisationID: Int64
    public var organisationKind: OrganisationKind
    /// Set for a project's register.
    public var projectID: Int64?
    /// The owner's place in the hierarchy, copied onto each record so scope is one condition.
    public var ancestry: Ancestry
    /// The supplier delivering the project (project registers only), who may see its register.
    public var supplierID: Int64?
    /// Codes for links and files; read with the record, not stored on it.
    public var organisationCode: String
    public var projectCode: String?

    public init(organisationID: Int64, organisationKind: OrganisationKind, projectID: Int64? = nil, ancestry: Ancestry,
                supplierID: Int64? = nil, organisationCode: String = "", projectCode: String? = nil) {
        self.organisationID = organisationID
        self.organisationKind = organisationKind
        self.projectID = projectID
        self.ancestry = ancestry
        self.supplierID = supplierID
        self.organisationCode = organisationCode
        self.projectCode = projectCode
    }

    /// The register of `organisation` itself.
    public static func organisation(_ organisation: Organisation) -> RegisterOwner {
        RegisterOwner(organisationID: organisation.id, organisationKind: organisation.kind, ancestry: organisation.ancestry,
                      organisationCode: organisation.code)
    }

    /// The register of `project`, held at `organisation`.
    public static func project(_ project: ImplementationProject, heldBy organisation: Organisation) -> RegisterOwner {
        RegisterOwner(organisationID: project.organisationID, organisationKind: organisation.kind, projectID: project.id,
                      ancestry: project.ancestry, supplierID: project.supplierID, organisationCode: organisation.code,
                      projectCode: project.code)
    }
}

/// A risk or an issue in one register.
public struct TrackingItem: Hashable, Sendable {
    public var id: Int64
    public var kind: TrackingKind
    public var owner: RegisterOwner
    public var title: String
    public var description: String
    public var cause: String
    public var effect: String
    public var area: AreaOfResponsibility
    public var inherent: Assessment
    public var residual: Assessment?
    /// When the risk could occur (its proximity); for an issue, when it bites.
    public var proximity: Day?
    /// The named person who owns it.
    public var ownerName: String
    public var reviewDate: Day?
    public var actions: [MitigatingAction]
    public var contingencyPlan: String
    /// The documented response a risk above 70% needs.
    public var response: String
    public var status: TrackingStatus
    /// Issues: when it occurred, and how it was resolved.
    public var occurredOn: Day?
    public var resolution: String
    public var raisedOn: Day
    /// The risk an issue came from, or the issue a risk became.
    public var linkedItemID: Int64?
    /// The item in the register below that this one is an escalated copy of.
    public var escalatedFromID: Int64?
    /// The copy in the register above while this one is escalated.
    public var escalatedToID: Int64?
    public var escalationReason: String
    public var version: Int

    public init(id: Int64 = 0, kind: TrackingKind, owner: RegisterOwner, title: String, description: String = "", cause: String = "",
                effect: String = "", area: AreaOfResponsibility, inherent: Assessment, residual: Assessment? = nil,
                proximity: Day? = nil, ownerName: String, reviewDate: Day?, actions: [MitigatingAction] = [],
                contingencyPlan: String = "", response: String = "", status: TrackingStatus = .open, occurredOn: Day? = nil,
                resolution: String = "", raisedOn: Day, linkedItemID: Int64? = nil, escalatedFromID: Int64? = nil,
                escalatedToID: Int64? = nil, escalationReason: String = "", version: Int = 1) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.title = title
        self.description = description
        self.cause = cause
        self.effect = effect
        self.area = area
        self.inherent = inherent
        self.residual = residual
        self.proximity = proximity
        self.ownerName = ownerName
        self.reviewDate = reviewDate
        self.actions = actions
        self.contingencyPlan = contingencyPlan
        self.response = response
        self.status = status
        self.occurredOn = occurredOn
        self.resolution = resolution
        self.raisedOn = raisedOn
        self.linkedItemID = linkedItemID
        self.escalatedFromID = escalatedFromID
        self.escalatedToID = escalatedToID
        self.escalationReason = escalationReason
        self.version = version
    }

    /// "R-000042".
    public var reference: String { Self.reference(kind: kind, id: id) }

    public static func reference(kind: TrackingKind, id: Int64) -> String {
        let digits = String(id)
        return kind.prefix + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The assessment the register works from: residual once one is recorded.
    public var current: Assessment { residual ?? inherent }

    /// The response the risk's probability calls for; issues are managed, not banded.
    public var requiredResponse: RequiredResponse {
        kind == .risk ? RequiredResponse.forProbability(inherent.probability) : .monitor
    }

    /// What the required response asks for that the risk does not have yet.
    public var missingResponse: [String] {
        guard kind == .risk, status.isLive else { return [] }
        var missing: [String] = []
        let required = requiredResponse
        if required >= .actionPlan, actions.isEmpty { missing.append("a risk action plan (at least one mitigating action)") }
        if required >= .contingencyPlan, contingencyPlan.isBlank { missing.append("a contingency plan") }
        if required >= .documentedResponse, response.isBlank { missing.append("a documented response") }
        return missing
    }

    /// Flagged in lists and dashboards: the required plan is missing.
    public var isFlagged: Bool { !missingResponse.isEmpty }

    public func isReviewOverdue(today: Day) -> Bool { status.isLive && (reviewDate.map { $0 < today } ?? false) }
    public func overdueActions(today: Day) -> [MitigatingAction] {
        status.isLive ? actions.filter { !$0.done && $0.due < today } : []
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}

extension String {
    /// The text without leading and trailing whitespace (Core has no Foundation).
    public var trimmedWhitespace: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
