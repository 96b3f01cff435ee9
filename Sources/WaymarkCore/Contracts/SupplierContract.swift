/// A supplier's contract to deliver products to an organisation and everything below it, from
/// one day to another (DOMAIN.md §1, §2). Who delivers a project is never typed in: it is the
/// supplier of the deepest contract in force that covers the project's organisation and product,
/// so handing a cluster to another LSP is one dated change. See docs/design/supplier-contracts.md.
public struct SupplierContract: Hashable, Sendable, Codable {
    public var id: Int64
    /// The contract's own reference, unique ("LSP-NME-2004").
    public var reference: String
    public var supplierID: Int64
    public var organisationID: Int64
    /// How deep the organisation is (national 0 … site 5): the deepest contract wins.
    public var depth: Int
    /// Product codes, sorted.
    public var products: [String]
    public var startsOn: Day
    /// The last day in force; nil while open-ended.
    public var endsOn: Day?
    public var version: Int

    public init(id: Int64, reference: String, supplierID: Int64, organisationID: Int64, depth: Int, products: [String],
                startsOn: Day, endsOn: Day? = nil, version: Int = 1) {
        self.id = id
        self.reference = reference
        self.supplierID = supplierID
        self.organisationID = organisationID
        self.depth = depth
        self.products = products.sorted()
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.version = version
    }

    public func isInForce(on day: Day) -> Bool { startsOn <= day && endsOn.map { day <= $0 } ?? true }

    /// True when the two share a day on which both are in force.
    public func overlapsInTime(_ other: SupplierContract) -> Bool {
        let endsFirst = endsOn.map { $0 < other.startsOn } ?? false
        let startsAfter = other.endsOn.map { $0 < startsOn } ?? false
        return !endsFirst && !startsAfter
    }

    /// The day the contract starts or stops applying, for finding what took effect between two days.
    public var boundaries: [Day] { [startsOn] + (endsOn.map { [$0.adding(days: 1)] } ?? []) }
}

extension OrganisationKind {
    /// The contract depth of an organisation of this kind; nil for suppliers, which hold contracts.
    public var contractDepth: Int? {
        switch self {
        case .national: 0
        case .cluster: 1
        case .sha: 2
        case .lhc: 3
        case .trust: 4
        case .site: 5
        case .supplier: nil
        }
    }
}
