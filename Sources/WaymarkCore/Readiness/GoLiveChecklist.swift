/// One standard Go Live Checklist (§4.4.1.4, §4.4.1.5), kept as data: the checks that must be
/// signed off before switchover.
public struct ChecklistTemplate: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var id: String
        public var text: String
    }
    public var code: String
    public var title: String
    public var items: [Item]

    init(_ code: String, _ title: String, _ items: [(String, String)]) {
        self.code = code
        self.title = title
        self.items = items.map { Item(id: "\(code).\($0.0)", text: $0.1) }
    }

    public func item(_ id: String) -> Item? { items.first { $0.id == id } }
}

/// The standard checklists, versioned like the NSI catalogue: a started checklist keeps the
/// version it was started from.
public enum GoLiveChecklistCatalogue {
    public static let version = 1

    public static func template(_ code: String) -> ChecklistTemplate? { templates.first { $0.code == code } }

    /// The guide names technical, data, training, support and clinical risk checks (§4.4.1.4);
    /// cutover adds the go/no-go and back-out steps of the switchover (§4.4.1.5).
    public static let templates: [ChecklistTemplate] = [
        ChecklistTemplate("technical", "Technical", [
            ("network", "N3 and local network connectivity tested from every location that goes live"),
            ("devices", "Every device installed and configured, with a working smartcard reader where one is needed"),
            ("interfaces", "Interfaces tested end to end against the live endpoints"),
            ("configuration", "System configuration verified against the Configuration Design"),
            ("backup", "Backup and restore of the live system tested"),
        ]),
        ChecklistTemplate("data", "Data migration", [
            ("trial", "The final trial load reconciled and its results signed off"),
            ("cleansing", "Data cleansing complete to the agreed threshold of valid NHS Numbers"),
            ("rehearsal", "The live load rehearsed, with its timings"),
            ("reconciliation", "The reconciliation of the live load agreed, with who checks what"),
        ]),
        ChecklistTemplate("training", "Training and registration", [
            ("trained", "Every user with a live role trained and assessed"),
            ("registered", "Every user registered by the Registration Authority, with a smartcard and the right access"),
            ("super-users", "Super-users in place on every shift for early care"),
        ]),
        ChecklistTemplate("support", "Support and early care", [
            ("rota", "Early-care support rota covers every shift for the agreed period"),
            ("service-desk", "Service desk briefed, with escalation routes to the supplier"),
            ("known-faults", "Known faults and their workarounds issued to users"),
            ("continuity", "Business continuity plan tested"),
            ("communications", "Communications to staff, patients and clients issued"),
        ]),
        ChecklistTemplate("clinical-risk", "Clinical risk", [
            ("hazards", "Hazard log reviewed; every hazard above acceptable closed or accepted by the Clinical Safety Officer"),
            ("testing", "Clinical risk testing complete"),
            ("processes", "Changed clinical processes agreed and briefed to the staff who use them"),
        ]),
        ChecklistTemplate("cutover", "Cutover and switchover", [
            ("plan", "Cutover plan issued, with timings and an owner for every step"),
            ("back-out", "Back-out plan agreed, with the last point at which it can be used"),
            ("legacy", "Freeze and read-only access of the legacy system arranged"),
            ("go-no-go", "Go / no-go meeting held and its decision recorded"),
        ]),
    ]
}

/// One item as filled in: who owns it, the evidence that it is done, and its sign-off.
public struct ChecklistItemState: Hashable, Sendable {
    public var itemID: String
    public var owner: String
    /// Where the proof is: a document reference, a test report, a link.
    public var evidence: String
    public var signedBy: String?
    public var signedAt: String?

    public init(itemID: String, owner: String = "", evidence: String = "", signedBy: String? = nil, signedAt: String? = nil) {
        self.itemID = itemID
        self.owner = owner
        self.evidence = evidence
        self.signedBy = signedBy
        self.signedAt = signedAt
    }

    public var isSignedOff: Bool { signedBy != nil }
}

/// A project's checklist, started from a template; `version` guards every change to it.
public struct GoLiveChecklist: Hashable, Sendable {
    public var id: Int64
    public var projectID: Int64
    public var templateCode: String
    public var templateVersion: Int
    public var version: Int
    public var items: [ChecklistItemState]
    public var startedBy: String
    public var startedAt: String

    public init(id: Int64 = 0, projectID: Int64, templateCode: String, templateVersion: Int = GoLiveChecklistCatalogue.version,
                version: Int = 1, items: [ChecklistItemState], startedBy: String, startedAt: String) {
        self.id = id
        self.projectID = projectID
        self.templateCode = templateCode
        self.templateVersion = templateVersion
        self.version = version
        self.items = items
        self.startedBy = startedBy
        self.startedAt = startedAt
    }

    public var template: ChecklistTemplate? { GoLiveChecklistCatalogue.template(templateCode) }
    public var signedOffCount: Int { items.count(where: \.isSignedOff) }
    /// Every item signed off.
    public var isComplete: Bool { !items.isEmpty && items.allSatisfy(\.isSignedOff) }
    public func item(_ id: String) -> ChecklistItemState? { items.first { $0.itemID == id } }
}

public enum ChecklistRules {
    public static let maximumOwner = 120
    public static let maximumEvidence = 1000

    /// An item's owner and evidence, as field errors.
    public static func check(owner: String, evidence: String) -> [FieldError] {
        var errors: [FieldError] = []
        if owner.count > maximumOwner { errors.append(FieldError(field: "owner", message: "The owner can be at most \(maximumOwner) characters.")) }
        if evidence.count > maximumEvidence {
            errors.append(FieldError(field: "evidence", message: "The evidence can be at most \(maximumEvidence) characters; link to a longer document."))
        }
        return errors
    }

    /// Why an item cannot be signed off yet; nil when it can.
    public static func signOffRefusal(_ item: ChecklistItemState) -> String? {
        if item.isSignedOff { return "This item was signed off by \(item.signedBy ?? "?") on \(item.signedAt ?? "?")." }
        if item.owner.trimmedWhitespace.isEmpty || item.evidence.trimmedWhitespace.isEmpty {
            return "An item is signed off only once it has an owner and evidence that it is done."
        }
        return nil
    }

    /// The checklists' sign-offs in a stable text form; the gate's evidence hashes it.
    public static func fingerprint(_ lists: [GoLiveChecklist]) -> String {
        lists.sorted { $0.templateCode < $1.templateCode }.flatMap { list in
            list.items.map { [list.templateCode, $0.itemID, $0.owner, $0.evidence, $0.signedBy ?? "", $0.signedAt ?? ""].joined(separator: "\u{1F}") }
        }.joined(separator: "\u{1E}")
    }
}
