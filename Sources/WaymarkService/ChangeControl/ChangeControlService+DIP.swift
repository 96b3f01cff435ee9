import Foundation
import WaymarkCore
import WaymarkStorage

/// Detailed Implementation Plans: performance per cluster or SHA, the DIP seen from an
/// organisation, and line changes (free while draft, only through an approved CCN once agreed).
extension ChangeControlService {
    public struct PerformanceView: Sendable {
        public var organisation: Organisation
        public var performance: DIPPerformance
        /// DIPs that apply here, newest year first, with their suppliers' names.
        public var dips: [(dip: DetailedImplementationPlan, supplierName: String)]
    }

    public func performance(organisationCode: String, year: FinancialYear?, as user: ActingUser) async throws -> PerformanceView {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let scope = try await gate.authorise(.viewRecords, as: user)
        let year = year ?? FinancialYear(containing: today)
        let rows = try await store.dipProgress(year: year, dipID: nil, within: organisation, scope: scope)
        let performance = DIPPerformance.compute(DIPObligation.combine(rows), year: year, today: today)
        var dips = try await store.dips(scope: scope, clusterID: organisation.ancestry.clusterID, year: nil)
        if organisation.kind == .supplier { dips = dips.filter { $0.supplierID == organisation.id } }
        return PerformanceView(organisation: organisation, performance: performance, dips: try await withSupplierNames(dips))
    }

    func withSupplierNames(_ dips: [DetailedImplementationPlan]) async throws -> [(dip: DetailedImplementationPlan, supplierName: String)] {
        var names: [Int64: String] = [:]
        var result: [(DetailedImplementationPlan, String)] = []
        for dip in dips {
            if names[dip.supplierID] == nil {
                names[dip.supplierID] = try await store.organisation(id: dip.supplierID, scope: .national)?.name ?? "Supplier \(dip.supplierID)"
            }
            result.append((dip, names[dip.supplierID]!))
        }
        return result
    }

    public struct DIPView: Sendable {
        /// The organisation the DIP is seen from: its lines are those within it.
        public var organisation: Organisation
        public var dip: DetailedImplementationPlan
        public var supplierName: String
        public var clusterName: String
        public var statuses: [Int64: ObligationStatus]
        public var canManage: Bool
        public var canAgree: Bool
        public var today: Day
    }

    /// A DIP as seen from an organisation in scope (its lines within that organisation).
    public func dipView(organisationCode: String, dipID: Int64, as user: ActingUser) async throws -> DIPView {
        let (organisation, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .viewRecords, as: user)
        var view = dip
        view.lines = try await store.dipLines(dipID: dip.id, within: organisation, scope: scope)
        let rows = try await store.dipProgress(year: dip.year, dipID: dip.id, within: organisation, scope: scope)
        let statuses = Dictionary(DIPObligation.combine(rows).map { ($0.lineID, $0.status(today: today)) }, uniquingKeysWith: { a, _ in a })
        let names = try await withSupplierNames([dip])
        let cluster = try await store.organisation(id: dip.clusterID, scope: .national)
        return DIPView(organisation: organisation, dip: view, supplierName: names.first?.supplierName ?? "", clusterName: cluster?.name ?? "",
                       statuses: statuses, canManage: user.permits(.manageDIP), canAgree: user.permits(.manageDIP) && Self.runsBoards(scope),
                       today: today)
    }

    /// The organisation and the DIP, both in scope (404), then the activity (403).
    func scopedDIP(organisationCode: String, dipID: Int64, for activity: Activity,
                   as user: ActingUser) async throws -> (Organisation, DetailedImplementationPlan, AccessScope) {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        let (dip, scope) = try await gate.inScope(
            "dip", for: activity, as: user, notFound: ServiceError(.notFound, "No Detailed Implementation Plan has the number \(dipID)."),
            id: { _ in dipID }) { try await store.dip(id: dipID, scope: $0) }
        return (organisation, dip, scope)
    }

    /// Agrees a draft DIP: the cluster's programme controls or the national office do, never the LSP.
    public func agree(organisationCode: String, dipID: Int64, expectedVersion: Int?, as user: ActingUser) async throws {
        let (_, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .manageDIP, as: user)
        guard let expectedVersion else {
            throw ValidationFailure([FieldError(field: "version", message: "Send the DIP's version, so an agreement cannot cross another change.")])
        }
        guard Self.runsBoards(scope) else {
            await gate.auditDenial("denied: agree DIP", entityType: "dip", entityID: dip.id, as: user)
            throw ServiceError(.forbidden, "The LSP drafts its DIP; the cluster's programme controls or the National Programme Office agree it.")
        }
        guard dip.state == .draft else { throw ValidationFailure([FieldError(field: "state", message: "This DIP was agreed already.")]) }
        if expectedVersion != dip.version { throw Self.staleDIP() }
        do {
            try await store.agreeDIP(id: dip.id, expectedVersion: expectedVersion, by: displayName(user), on: today,
                                     audit: audit("agree DIP", "dip", dip.id, before: "{\"state\":\"draft\"}", after: "{\"state\":\"agreed\"}", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.staleDIP()
        }
    }

    static func staleDIP() -> ServiceError {
        ServiceError(.staleVersion, "The DIP was changed by someone else since you opened it. Reload it and try again.")
    }

    /// A line as entered: obligation fields are nil when the form leaves them as they were.
    public struct LineInput: Sendable {
        public var productCode: String?
        public var organisationCode: String?
        public var implementation: ImplementationKind?
        public var dueMilestone: MilestoneKind?
        public var due: Day?
        /// nil leaves the linked projects as they are.
        public var projectCodes: [String]?
        public var remove: Bool
        /// The approved CCN that authorises a change to an agreed DIP ("CCN-CNE-0007").
        public var ccnReference: String?
        public var errors: [FieldError]

        public init(productCode: String? = nil, organisationCode: String? = nil, implementation: ImplementationKind? = nil,
                    dueMilestone: MilestoneKind? = nil, due: Day? = nil, projectCodes: [String]? = nil, remove: Bool = false,
                    ccnReference: String? = nil, errors: [FieldError] = []) {
            self.productCode = productCode
            self.organisationCode = organisationCode
            self.implementation = implementation
            self.dueMilestone = dueMilestone
            self.due = due
            self.projectCodes = projectCodes
            self.remove = remove
            self.ccnReference = ccnReference
            self.errors = errors
        }
    }
}
