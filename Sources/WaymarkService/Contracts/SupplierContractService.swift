import Foundation
import WaymarkCore
import WaymarkStorage

/// Supplier contracts (issue 13, DOMAIN.md §1): who delivers which products where, and from
/// when to when. Project suppliers, and with them supplier staff's scope, follow from these
/// (SupplierContractRules.supplier). Changing them needs `.manageOrganisations` over the
/// organisation the contract covers.
public struct SupplierContractService: Sendable {
    public let gate: AccessGate
    let store: any OrganisationRepository & SupplierContractRegister & AuditRepository

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    static let entityType = "supplier_contract"

    /// One contract with the organisations it names.
    public struct Listing: Sendable, Hashable {
        public var contract: SupplierContract
        public var supplier: Organisation
        public var organisation: Organisation
        public var inForce: Bool
    }

    /// The contracts that cover an organisation: its own and those above it (for a supplier,
    /// the contracts it holds), newest first.
    public func contracts(at code: String, as user: ActingUser) async throws -> (Organisation, [Listing]) {
        let organisation = try await gate.organisation(code: code, as: user).0
        let national = try await store.national()
        let contracts = organisation.kind == .supplier
            ? try await store.contracts(atAnyOf: nil, supplierID: organisation.id)
            : try await store.contracts(atAnyOf: organisation.ancestry.ids + [national?.id].compactMap { $0 }, supplierID: nil)
        return (organisation, try await listings(contracts))
    }

    func listings(_ contracts: [SupplierContract]) async throws -> [Listing] {
        var names: [Int64: Organisation] = [:]
        for id in Set(contracts.flatMap { [$0.supplierID, $0.organisationID] }) {
            names[id] = try await store.organisation(id: id, scope: .national)
        }
        let today = gate.clock.today
        return contracts.compactMap { c in
            guard let supplier = names[c.supplierID], let organisation = names[c.organisationID] else { return nil }
            return Listing(contract: c, supplier: supplier, organisation: organisation, inForce: c.isInForce(on: today))
        }
    }

    /// Adds a contract. Projects it covers change supplier now if it is in force today, or on
    /// the day it starts.
    public func create(_ input: NewSupplierContract, as user: ActingUser) async throws -> Listing {
        let organisation = try await gate.organisation(code: input.organisation, for: .manageOrganisations, as: user).0
        let supplier = try await supplier(input.supplier, field: "supplier")
        let (starts, ends) = try input.dates()
        let contract = SupplierContract(id: 0, reference: input.reference.trimmedWhitespace, supplierID: supplier.id,
                                        organisationID: organisation.id, depth: organisation.kind.contractDepth ?? 0,
                                        products: Array(Set(input.products.map { $0.uppercased() })), startsOn: starts, endsOn: ends)
        try await check(contract, supplier: supplier, at: organisation)
        let saved = try await write(ending: [], starting: [contract], action: "add supplier contract", before: nil, as: user)[0]
        return Listing(contract: saved, supplier: supplier, organisation: organisation, inForce: saved.isInForce(on: gate.clock.today))
    }

    /// Hands a contract's organisation and products to another supplier from `handover.on`:
    /// the old contract ends the day before, the new one starts that day. The day is today or
    /// later: who delivered in the past is history.
    public func handover(reference: String, at code: String, _ handover: SupplierHandover, as user: ActingUser) async throws -> (ended: Listing, started: Listing) {
        let (current, organisation, oldSupplier) = try await contract(reference, at: code, as: user)
        try Self.expect(handover.expectedVersion, current)
        guard let day = Day(iso: handover.on.trimmedWhitespace) else {
            throw ValidationFailure([FieldError(field: "on", message: "Enter the handover date as YYYY-MM-DD, for example 2027-04-01.")])
        }
        let newSupplier = try await supplier(handover.supplier, field: "supplier")
        var errors: [FieldError] = []
        if day < gate.clock.today { errors.append(FieldError(field: "on", message: "A handover is from today or a later day; \(day.iso) has passed.")) }
        if day <= current.startsOn || current.endsOn.map({ $0 < day }) == true {
            errors.append(FieldError(field: "on", message: "\(current.reference) is in force from \(current.startsOn.iso)\(current.endsOn.map { " to \($0.iso)" } ?? ""); hand over on a day after it starts and before it ends."))
        }
        if newSupplier.id == current.supplierID { errors.append(FieldError(field: "supplier", message: "\(newSupplier.code) already holds \(current.reference).")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var ended = current
        ended.endsOn = day.adding(days: -1)
        let started = SupplierContract(id: 0, reference: handover.reference.trimmedWhitespace, supplierID: newSupplier.id,
                                       organisationID: current.organisationID, depth: current.depth, products: current.products,
                                       startsOn: day, endsOn: current.endsOn)
        try await check(started, supplier: newSupplier, at: organisation, ignoring: current.id)
        let saved = try await write(ending: [ended], starting: [started], action: "hand over supplier contract", before: current, as: user)[0]
        let today = gate.clock.today
        return (Listing(contract: ended, supplier: oldSupplier, organisation: organisation, inForce: ended.isInForce(on: today)),
                Listing(contract: saved, supplier: newSupplier, organisation: organisation, inForce: saved.isInForce(on: today)))
    }

    /// Ends a contract after `on` (its last day in force), today or later.
    public func end(reference: String, at code: String, on text: String, expectedVersion: Int?, as user: ActingUser) async throws -> Listing {
        let (current, organisation, supplier) = try await contract(reference, at: code, as: user)
        try Self.expect(expectedVersion, current)
        guard let day = Day(iso: text.trimmedWhitespace) else {
            throw ValidationFailure([FieldError(field: "endsOn", message: "Enter the last day as YYYY-MM-DD, for example 2027-03-31.")])
        }
        if day < gate.clock.today.adding(days: -1) || day < current.startsOn {
            throw ValidationFailure([FieldError(field: "endsOn", message: "A contract ends on a day from yesterday on, and not before it starts (\(current.startsOn.iso)).")])
        }
        var ended = current
        ended.endsOn = day
        _ = try await write(ending: [ended], starting: [], action: "end supplier contract", before: current, as: user)
        ended.version += 1
        return Listing(contract: ended, supplier: supplier, organisation: organisation, inForce: ended.isInForce(on: gate.clock.today))
    }

    // MARK: Helpers

    /// The contract with `reference` held at the organisation `code`, once the actor may manage
    /// that organisation: the organisation is the record (404 out of scope, then 403).
    func contract(_ reference: String, at code: String, as user: ActingUser) async throws -> (SupplierContract, Organisation, Organisation) {
        let organisation = try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
        guard let contract = try await store.contract(reference: reference.trimmedWhitespace), contract.organisationID == organisation.id,
              let supplier = try await store.organisation(id: contract.supplierID, scope: .national) else {
            throw ServiceError(.notFound, "\(organisation.code) holds no supplier contract with the reference '\(reference.prefix(40))'.")
        }
        return (contract, organisation, supplier)
    }

    func supplier(_ code: String, field: String) async throws -> Organisation {
        guard let supplier = try await store.organisation(code: code.trimmedWhitespace.uppercased(), scope: .national),
              supplier.kind == .supplier else {
            throw ValidationFailure([FieldError(field: field, message: "No supplier has the code '\(code.prefix(20))'.")])
        }
        return supplier
    }

    func check(_ contract: SupplierContract, supplier: Organisation, at organisation: Organisation, ignoring: Int64? = nil) async throws {
        let others = try await store.contracts(atAnyOf: [organisation.id], supplierID: nil).filter { $0.id != ignoring }
        let errors = SupplierContractRules.check(contract, supplier: supplier, at: organisation, others: others)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
    }

    static func expect(_ version: Int?, _ current: SupplierContract) throws {
        guard let version else { throw ServiceError.versionRequired("Say which version of \(current.reference) you are changing (If-Match, or reload the page).") }
        guard version == current.version else { throw ServiceError.stale("\(current.reference) was changed by someone else since you opened it. Reload it and try again.") }
    }

    func write(ending: [SupplierContract], starting: [SupplierContract], action: String, before: SupplierContract?,
               as user: ActingUser) async throws -> [SupplierContract] {
        let audit = gate.auditRecord(action, entityType: Self.entityType, entityID: before?.id ?? 0,
                                     before: before.map(Self.snapshot), after: (ending + starting).map(Self.snapshot).joined(separator: "\n"), as: user)
        do {
            return try await store.writeContracts(ending: ending, starting: starting, today: gate.clock.today, audit: audit)
        } catch let error as StorageError where error.code == .duplicate {
            throw ValidationFailure([FieldError(field: "reference", message: error.message)])
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError.stale("A contract was changed by someone else meanwhile. Reload it and try again.")
        }
    }

    struct Snapshot: Encodable {
        var reference: String, supplierID: Int64, organisationID: Int64, products: [String], startsOn: String, endsOn: String?
    }

    static func snapshot(_ c: SupplierContract) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = Snapshot(reference: c.reference, supplierID: c.supplierID, organisationID: c.organisationID, products: c.products,
                             startsOn: c.startsOn.iso, endsOn: c.endsOn?.iso)
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
