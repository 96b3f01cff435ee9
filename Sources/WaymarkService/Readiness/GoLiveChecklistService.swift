import Foundation
import WaymarkCore
import WaymarkStorage

/// Go Live Checklists (issue 14, §4.4.1.4, §4.4.1.5): started from the standard templates,
/// each item given an owner and evidence (`.recordReadiness`) and signed off (`.decideGates`).
/// Changing a signed item's owner or evidence withdraws its sign-off. Every write names the
/// checklist version it was made against. See docs/design/readiness.md.
public struct GoLiveChecklistService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.init(gate: programme.gate, store: programme.store)
    }

    init(gate: AccessGate, store: any WaymarkStore) {
        self.gate = gate
        self.store = store
    }

    static let entityType = "go_live_checklist"

    /// The project's checklists by template code.
    public func checklists(projectCode: String, as user: ActingUser) async throws -> (ProjectListing, [String: GoLiveChecklist]) {
        let listing = try await gate.project(code: projectCode, as: user).0
        let lists = try await store.goLiveChecklists(projectID: listing.project.id)
        return (listing, Dictionary(uniqueKeysWithValues: lists.map { ($0.templateCode, $0) }))
    }

    public func checklist(projectCode: String, template: String, as user: ActingUser) async throws -> (ProjectListing, GoLiveChecklist) {
        let listing = try await gate.project(code: projectCode, as: user).0
        return (listing, try await stored(listing.project, template))
    }

    /// Starts the project's checklist from a standard template, every item blank.
    public func start(projectCode: String, template code: String, as user: ActingUser) async throws -> GoLiveChecklist {
        let project = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0.project
        guard let template = GoLiveChecklistCatalogue.template(code) else {
            throw ValidationFailure([FieldError(field: "template", message: "Choose one of the standard checklists: "
                + GoLiveChecklistCatalogue.templates.map(\.code).joined(separator: ", ") + ".")])
        }
        let checklist = GoLiveChecklist(projectID: project.id, templateCode: template.code, items: template.items.map { ChecklistItemState(itemID: $0.id) },
                                        startedBy: user.name, startedAt: gate.clock.timestamp)
        do {
            return try await store.startGoLiveChecklist(checklist, audit: gate.auditRecord(
                "start go live checklist", entityType: Self.entityType, entityID: 0, after: template.code, as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "\(project.code) already has the \(template.title) checklist.")
        }
    }

    /// Sets an item's owner and evidence. A change to a signed item withdraws its sign-off.
    public func update(projectCode: String, template: String, item itemID: String, owner: String, evidence: String,
                       expectedVersion: Int?, as user: ActingUser) async throws -> GoLiveChecklist {
        let project = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0.project
        var (checklist, index) = try await item(project, template, itemID, expectedVersion)
        let owner = owner.trimmedWhitespace, evidence = evidence.trimmedWhitespace
        let errors = ChecklistRules.check(owner: owner, evidence: evidence)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var item = checklist.items[index]
        if item.owner != owner || item.evidence != evidence { item.signedBy = nil; item.signedAt = nil }
        item.owner = owner
        item.evidence = evidence
        return try await save(&checklist, index, item, "change go live checklist item", user)
    }

    /// Signs an item off once it has an owner and evidence.
    public func signOff(projectCode: String, template: String, item itemID: String, expectedVersion: Int?, as user: ActingUser) async throws -> GoLiveChecklist {
        let project = try await gate.project(code: projectCode, for: .decideGates, as: user).0.project
        var (checklist, index) = try await item(project, template, itemID, expectedVersion)
        var item = checklist.items[index]
        if let refusal = ChecklistRules.signOffRefusal(item) { throw ServiceError(.refused, refusal) }
        item.signedBy = user.name
        item.signedAt = gate.clock.timestamp
        return try await save(&checklist, index, item, "sign off go live checklist item", user)
    }

    /// How many checklists there are, how many are complete, and a hash of their sign-offs:
    /// what the Go Live gate and the Go Live policy read.
    func evidence(projectID: Int64) async throws -> (total: Int, signedOff: Int, hash: String)? {
        let lists = try await store.goLiveChecklists(projectID: projectID)
        guard !lists.isEmpty else { return nil }
        return (lists.count, lists.count(where: \.isComplete), Secrets.sha256Hex(Data(ChecklistRules.fingerprint(lists).utf8)))
    }

    func save(_ checklist: inout GoLiveChecklist, _ index: Int, _ item: ChecklistItemState, _ action: String, _ user: ActingUser) async throws -> GoLiveChecklist {
        let after = "\(item.itemID): owner \(item.owner.isEmpty ? "-" : item.owner); \(item.isSignedOff ? "signed off" : "not signed off")"
        do {
            try await store.saveChecklistItem(checklistID: checklist.id, item, expectedVersion: checklist.version, audit: gate.auditRecord(
                action, entityType: Self.entityType, entityID: checklist.id, after: after, as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(checklist)
        }
        checklist.items[index] = item
        checklist.version += 1
        return checklist
    }

    func item(_ project: ImplementationProject, _ template: String, _ itemID: String, _ expectedVersion: Int?) async throws -> (GoLiveChecklist, Int) {
        guard let expectedVersion else {
            throw ServiceError.versionRequired("Say which version of the checklist you read (If-Match, or reload the page).")
        }
        let checklist = try await stored(project, template)
        guard let index = checklist.items.firstIndex(where: { $0.itemID == itemID }) else {
            throw ServiceError(.notFound, "The \(checklist.template?.title ?? template) checklist has no item '\(itemID.prefix(60))'.")
        }
        guard expectedVersion == checklist.version else { throw Self.stale(checklist) }
        return (checklist, index)
    }

    func stored(_ project: ImplementationProject, _ code: String) async throws -> GoLiveChecklist {
        let template = try Self.template(code)
        guard let checklist = try await store.goLiveChecklist(projectID: project.id, template: template.code) else {
            throw ServiceError(.notFound, "\(project.code) has not started the \(template.title) checklist.")
        }
        return checklist
    }

    static func template(_ code: String) throws -> ChecklistTemplate {
        guard let template = GoLiveChecklistCatalogue.template(code) else {
            throw ServiceError(.notFound, "There is no Go Live Checklist called '\(code.prefix(40))'. The checklists are: "
                + GoLiveChecklistCatalogue.templates.map(\.code).joined(separator: ", ") + ".")
        }
        return template
    }

    static func stale(_ checklist: GoLiveChecklist) -> ServiceError {
        ServiceError(.staleVersion, "Someone else changed the \(checklist.template?.title ?? checklist.templateCode) checklist meanwhile. Reload it and make your change again.")
    }
}
