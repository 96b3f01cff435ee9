import Foundation
import WaymarkCore
import WaymarkStorage

/// The programme's own organisations (issue 13, DOMAIN.md §2): add, edit, move under a new
/// parent, and close. Nothing is deleted. Every change needs `.manageOrganisations` over the
/// organisation and, for an add or a move, over the parent too; each is audited in its own
/// transaction.
public struct OrganisationService: Sendable {
    public let gate: AccessGate
    let store: any OrganisationRepository & OrganisationRegister & AuditRepository

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    static let entityType = "organisation"

    /// Adds an organisation under the parent it names (suppliers have none).
    public func create(_ change: OrganisationChange, as user: ActingUser) async throws -> Organisation {
        // The parent is the record this touches: out of scope reads as absent (404) before 403.
        let parent = try await parent(change.parent, as: user)
        let scope = try await gate.authorise(.manageOrganisations, as: user)
        var organisation = try change.newOrganisation()
        if parent == nil, scope != .national {
            throw ServiceError(.forbidden, "Only the national programme office adds suppliers and organisations with no parent.")
        }
        let errors = OrganisationRules.check(organisation, parent: parent)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        organisation.openedOn = organisation.openedOn ?? gate.clock.today
        do {
            return try await store.createOrganisation(organisation, parent: parent, audit: gate.auditRecord(
                "add organisation", entityType: Self.entityType, entityID: 0, after: Self.snapshot(organisation, parent: parent), as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ValidationFailure([FieldError(field: "code", message: "\(organisation.code) is already an organisation's code; codes are unique.")])
        }
    }

    /// Changes the name, subtype, postcode or opening date.
    public func update(code: String, _ change: OrganisationChange, as user: ActingUser) async throws -> Organisation {
        let current = try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
        let expected = try Self.expectedVersion(change, current)
        var updated = current
        var errors = change.apply(to: &updated)
        for (field, sent) in [("code", change.code), ("kind", change.kind), ("parent", change.parent), ("supplierRole", change.supplierRole)] {
            if sent != nil { errors.append(FieldError(field: field, message: "The \(field) is not changed by editing; \(field == "parent" ? "move the organisation instead" : "add a new organisation and close this one")."))
            }
        }
        let parent = try await storedParent(of: current)
        errors += OrganisationRules.check(updated, parent: parent).filter { $0.field != "parent" }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard updated != current else { return current }
        return try await save(updated, expected: expected, action: "edit organisation", before: current, as: user)
    }

    /// Moves an organisation under a new parent of the right level, both in the actor's scope.
    public func move(code: String, to parentCode: String, expectedVersion: Int?, as user: ActingUser) async throws -> Organisation {
        let current = try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
        let expected = try Self.expectedVersion(OrganisationChange(expectedVersion: expectedVersion), current)
        guard let parent = try await parent(parentCode, as: user) else {
            throw ValidationFailure([FieldError(field: "parent", message: "Give the code of the new parent.")])
        }
        // Each level sits under the one above it, so a parent of the right level is never the
        // organisation itself or below it: that move is refused as the wrong level.
        var errors = OrganisationRules.check(current, parent: parent).filter { $0.field == "parent" }
        if current.isClosed { errors.append(FieldError(field: "parent", message: "\(current.code) has closed; closed organisations stay where they were.")) }
        if parent.id == current.parentID { errors.append(FieldError(field: "parent", message: "\(current.code) is already under \(parent.code).")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let audit = gate.auditRecord("move organisation", entityType: Self.entityType, entityID: current.id,
                                     before: Self.snapshot(current, parent: nil), after: "{\"parent\":\"\(parent.code)\"}", as: user)
        do {
            return try await store.moveOrganisation(current, to: parent, expectedVersion: expected, today: gate.clock.today, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(current)
        }
    }

    /// Closes an organisation on `day` (today when nil). Refused while any project is at or
    /// below it, or while any organisation directly below it is still open.
    public func close(code: String, on day: Day?, expectedVersion: Int?, as user: ActingUser) async throws -> Organisation {
        let current = try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
        let expected = try Self.expectedVersion(OrganisationChange(expectedVersion: expectedVersion), current)
        if let closed = current.closedOn { throw ServiceError(.conflict, "\(current.code) closed on \(closed.iso).") }
        if current.kind == .national { throw ServiceError(.refused, "The National Programme cannot be closed.") }
        let projects = try await store.projectCount(within: current)
        if projects > 0 {
            throw ServiceError(.conflict, "\(current.code) still has \(projects) implementation project\(projects == 1 ? "" : "s") at or below it. Close or move them first.")
        }
        let children = try await store.openChildCount(of: current)
        if children > 0 {
            throw ServiceError(.conflict, "\(current.code) still has \(children) open organisation\(children == 1 ? "" : "s") below it. Close or move them first.")
        }
        var closed = current
        closed.closedOn = day ?? gate.clock.today
        let errors = OrganisationRules.check(closed, parent: nil).filter { $0.field == "closedOn" }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try await save(closed, expected: expected, action: "close organisation", before: current, as: user)
    }

    // MARK: Helpers

    /// The parent named by `code`, in the actor's scope for `.manageOrganisations` (404, then
    /// 403, as for any record); nil for none.
    func parent(_ code: String?, as user: ActingUser) async throws -> Organisation? {
        guard let code = code?.trimmedWhitespace, !code.isEmpty else { return nil }
        return try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
    }

    func storedParent(of organisation: Organisation) async throws -> Organisation? {
        guard let id = organisation.parentID else { return nil }
        return try await store.organisation(id: id, scope: .national)
    }

    func save(_ organisation: Organisation, expected: Int, action: String, before: Organisation,
              as user: ActingUser) async throws -> Organisation {
        let audit = gate.auditRecord(action, entityType: Self.entityType, entityID: organisation.id,
                                     before: Self.snapshot(before, parent: nil), after: Self.snapshot(organisation, parent: nil), as: user)
        do {
            return try await store.updateOrganisation(organisation, expectedVersion: expected, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(before)
        }
    }

    /// Every change names the version it was made against: missing is 428, stale is 412.
    static func expectedVersion(_ change: OrganisationChange, _ current: Organisation) throws -> Int {
        guard let expected = change.expectedVersion else {
            throw ServiceError.versionRequired("Say which version of \(current.code) you are changing (If-Match, or reload the page).")
        }
        guard expected == current.version else { throw stale(current) }
        return expected
    }

    static func stale(_ organisation: Organisation) -> ServiceError {
        .stale("\(organisation.code) was changed by someone else since you opened it. Reload it and try again.")
    }

    struct Snapshot: Encodable {
        var code: String, name: String, kind: String, subtype: String?, parent: String?, supplierRole: String?
        var postcode: String?, openedOn: String?, closedOn: String?
    }

    static func snapshot(_ o: Organisation, parent: Organisation?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = Snapshot(code: o.code, name: o.name, kind: o.kind.rawValue, subtype: o.subtype, parent: parent?.code,
                             supplierRole: o.supplierRole?.rawValue, postcode: o.postcode, openedOn: o.openedOn?.iso, closedOn: o.closedOn?.iso)
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
