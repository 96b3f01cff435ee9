/// Levels of the National Programme hierarchy (DOMAIN.md §2), plus supplier organisations
/// which sit outside it.
public enum OrganisationKind: String, CaseIterable, Sendable, Codable {
    case national, cluster, sha, lhc, trust, site, supplier

    public var title: String {
        switch self {
        case .national: "National Programme"
        case .cluster: "Cluster"
        case .sha: "Strategic Health Authority"
        case .lhc: "Local Health Community"
        case .trust: "Trust"
        case .site: "Site"
        case .supplier: "Supplier"
        }
    }

    /// The level directly below this one, used to group roll-ups; nil for sites and suppliers.
    public var childKind: OrganisationKind? {
        switch self {
        case .national: .cluster
        case .cluster: .sha
        case .sha: .lhc
        case .lhc: .trust
        case .trust: .site
        case .site, .supplier: nil
        }
    }
}

/// LSP, NASP, NISP or ESP (DOMAIN.md §2).
public enum SupplierRole: String, CaseIterable, Sendable, Codable {
    case lsp, nasp, nisp, esp

    public var title: String {
        switch self {
        case .lsp: "Local Service Provider"
        case .nasp: "National Application Service Provider"
        case .nisp: "National Infrastructure Service Provider"
        case .esp: "Existing Systems Provider"
        }
    }
}

/// The ids of an organisation's ancestors at each level, denormalised onto organisations and
/// projects so a subtree is one indexed equality, not a recursive walk.
public struct Ancestry: Hashable, Sendable, Codable {
    public var clusterID: Int64?
    public var shaID: Int64?
    public var lhcID: Int64?
    public var trustID: Int64?
    public var siteID: Int64?

    public init(clusterID: Int64? = nil, shaID: Int64? = nil, lhcID: Int64? = nil,
                trustID: Int64? = nil, siteID: Int64? = nil) {
        self.clusterID = clusterID
        self.shaID = shaID
        self.lhcID = lhcID
        self.trustID = trustID
        self.siteID = siteID
    }

    public func id(at kind: OrganisationKind) -> Int64? {
        switch kind {
        case .cluster: clusterID
        case .sha: shaID
        case .lhc: lhcID
        case .trust: trustID
        case .site: siteID
        case .national, .supplier: nil
        }
    }

    /// The ancestry of a child `id` of kind `kind` under this ancestry.
    public func extended(with id: Int64, kind: OrganisationKind) -> Ancestry { replacing(kind, with: id) }

    public var ids: [Int64] { [clusterID, shaID, lhcID, trustID, siteID].compactMap { $0 } }

    /// This ancestry with the id at `kind`'s level replaced (a move changes the levels above).
    public func replacing(_ kind: OrganisationKind, with id: Int64?) -> Ancestry {
        var copy = self
        switch kind {
        case .cluster: copy.clusterID = id
        case .sha: copy.shaID = id
        case .lhc: copy.lhcID = id
        case .trust: copy.trustID = id
        case .site: copy.siteID = id
        case .national, .supplier: break
        }
        return copy
    }
}

public struct Organisation: Hashable, Sendable, Codable, Identifiable {
    public var id: Int64
    /// Short ODS-style code, unique across Waymark.
    public var code: String
    public var name: String
    public var kind: OrganisationKind
    /// Finer type: "acute trust", "primary care trust", "GP practice", "hospital"...
    public var subtype: String?
    public var parentID: Int64?
    public var supplierRole: SupplierRole?
    /// Ancestry includes the organisation itself at its own level.
    public var ancestry: Ancestry
    public var version: Int
    /// The postcode an ODS extract gives it, if any.
    public var postcode: String?
    public var openedOn: Day?
    /// Set when the organisation closes. A closed organisation keeps its history, roll-ups and
    /// audit; it takes no new projects or children.
    public var closedOn: Day?

    public init(id: Int64, code: String, name: String, kind: OrganisationKind, subtype: String? = nil,
                parentID: Int64?, supplierRole: SupplierRole? = nil, ancestry: Ancestry, version: Int = 1,
                postcode: String? = nil, openedOn: Day? = nil, closedOn: Day? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.subtype = subtype
        self.parentID = parentID
        self.supplierRole = supplierRole
        self.ancestry = ancestry
        self.version = version
        self.postcode = postcode
        self.openedOn = openedOn
        self.closedOn = closedOn
    }

    public var isClosed: Bool { closedOn != nil }
}
