import Foundation
import Synchronization
import WaymarkCore
import WaymarkStorage

/// Brings project suppliers up to the contracts in force today. A contract that starts or
/// ends on a later day takes effect on the first request of that day, on whichever node sees
/// it first, before any scope is built from it; the latch keeps it to one read per node per day.
public final class ContractsInForce: Sendable {
    private let checked = Mutex<Day?>(nil)

    public init() {}

    public func bringUpToDate(store: any SupplierContractRegister, clock: WaymarkClock) async throws {
        let today = clock.today
        if checked.withLock({ $0 == today }) { return }
        try await Self.apply(store: store, today: today, at: clock.timestamp)
        checked.withLock { $0 = today }
    }

    /// Applies every contract boundary after the recorded day up to `today`, with one audit entry.
    public static func apply(store: any SupplierContractRegister, today: Day, at timestamp: String) async throws {
        guard let applied = try await store.contractsAppliedThrough() else {
            // A new or loaded database: its suppliers already reflect its contracts.
            try await store.applyContracts([], from: nil, today: today, audit: nil)
            return
        }
        guard applied < today else { return }
        let due = try await store.contracts(atAnyOf: nil, supplierID: nil)
            .filter { $0.boundaries.contains { applied < $0 && $0 <= today } }
        let audit = AuditRecord(at: timestamp, actor: "waymark", origin: "contracts in force", action: "contracts took effect",
                                entityType: SupplierContractService.entityType, entityID: due.first?.id ?? 0, before: nil,
                                after: due.map(\.reference).joined(separator: ", "))
        try await store.applyContracts(due, from: applied, today: today, audit: audit)
    }
}
