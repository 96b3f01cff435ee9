import WaymarkCore

/// Supplier contracts (issue 13). Each project's `supplier_id`, and the copy of it on the
/// project's documents, gate decisions, registers and lessons, is derived from these: every
/// contract write and every day on which a contract starts or ends re-derives the projects it
/// touches, in the same transaction. Supplier scope is then one indexed equality, as before.
public protocol SupplierContractRegister: Sendable {
    /// Contracts held at any of `organisationIDs`, or by `supplierID`, newest first.
    func contracts(atAnyOf organisationIDs: [Int64]?, supplierID: Int64?) async throws -> [SupplierContract]
    func contract(id: Int64) async throws -> SupplierContract?
    func contract(reference: String) async throws -> SupplierContract?
    /// Saves `ending` (each still at its version) and adds `starting` (the store assigns ids),
    /// then re-derives the supplier of every project they cover as of `today`: one transaction,
    /// one audit entry. A taken reference is `.duplicate`; a changed contract `.conflict`.
    func writeContracts(ending: [SupplierContract], starting: [SupplierContract], today: Day,
                        audit: AuditRecord) async throws -> [SupplierContract]
    /// The last day whose contracts are reflected in project suppliers; nil if never recorded.
    func contractsAppliedThrough() async throws -> Day?
    /// Re-derives the projects covered by `contracts` (those starting or ending since
    /// `from`) as of `today`, and records `today` as applied; `from` nil records it only.
    /// Another node having got there first is not an error.
    func applyContracts(_ contracts: [SupplierContract], from: Day?, today: Day, audit: AuditRecord?) async throws
}
