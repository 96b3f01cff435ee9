/// A product being implemented (DOMAIN.md §3), with the natural-sequence rules of guide §4.2.4
/// and §4.2.6: N3 and the NHS CRS come first, and user registration (RA) precedes every
/// product related to the NHS CRS.
public struct Product: Hashable, Sendable, Codable, Identifiable {
    public var code: String
    public var name: String
    public var summary: String
    /// How the product is normally delivered; a project may still use the other type.
    public var defaultType: ProjectType
    /// The supplier role that normally delivers it.
    public var supplierRole: SupplierRole
    /// Related to the NHS CRS, so user registration must come first.
    public var crsRelated: Bool
    /// Products whose go-live should come first at the same organisation or above it.
    public var prerequisites: [String]

    public var id: String { code }
}

public enum ProductCatalogue {
    public static let n3 = "N3"
    public static let registration = "RA"
    public static let crs = "CRS"

    public static let all: [Product] = [
        Product(code: n3, name: "N3 National Network",
                summary: "The NHS national broadband network that every other product runs over.",
                defaultType: .lsp, supplierRole: .nisp, crsRelated: false, prerequisites: []),
        Product(code: registration, name: "User Registration (RA)",
                summary: "Registration Authority identity checks, RBAC job roles and Smartcards.",
                defaultType: .lsp, supplierRole: .lsp, crsRelated: false, prerequisites: [n3]),
        Product(code: crs, name: "NHS Care Records Service",
                summary: "Local patient records with the Spine, PDS and Secondary Uses Service; replaces PAS.",
                defaultType: .lsp, supplierRole: .lsp, crsRelated: true, prerequisites: [n3, registration]),
        Product(code: "CAB", name: "Choose and Book",
                summary: "Electronic booking of first outpatient appointments with a choice of provider.",
                defaultType: .esp, supplierRole: .esp, crsRelated: true, prerequisites: [n3, registration, crs]),
        Product(code: "ETP", name: "Electronic Transmission of Prescriptions",
                summary: "Prescriptions sent electronically from prescriber to dispenser (EPS).",
                defaultType: .esp, supplierRole: .esp, crsRelated: true, prerequisites: [n3, registration, crs]),
        Product(code: "PACS", name: "Picture Archiving and Communications System",
                summary: "Digital storage and viewing of radiology images.",
                defaultType: .lsp, supplierRole: .lsp, crsRelated: false, prerequisites: [n3]),
        Product(code: "QMAS", name: "QMAS (Quality Management and Analysis System)",
                summary: "IT supporting GPs: quality and outcomes framework reporting.",
                defaultType: .esp, supplierRole: .esp, crsRelated: false, prerequisites: [n3]),
        Product(code: "GP2GP", name: "GP2GP record transfer",
                summary: "IT supporting GPs: electronic transfer of records between practices.",
                defaultType: .esp, supplierRole: .esp, crsRelated: true, prerequisites: [n3, registration, crs]),
        Product(code: "CONTACT", name: "Contact email and directory",
                summary: "The national NHS email and directory service.",
                defaultType: .esp, supplierRole: .nasp, crsRelated: false, prerequisites: [n3]),
    ]

    private static let byCode: [String: Product] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    public static func product(code: String) -> Product? { byCode[code.uppercased()] }

    /// Presence rules: a project for a CRS-related product needs a registration project at the
    /// same organisation or above, and every product needs N3. CRS itself is not required to
    /// exist (not every site takes the CRS), only to come first where it does.
    static func mustExist(_ prerequisite: String, for product: Product) -> Bool {
        prerequisite == n3 || (prerequisite == registration && product.crsRelated)
    }
}

/// A warning that a project is planned out of the natural sequence. Shown, never enforced.
public struct SequenceWarning: Hashable, Sendable, Codable {
    public var prerequisite: String
    public var message: String
}

public enum SequenceRules {
    /// A project's go-live as planned: actual, else forecast, else baseline.
    public struct PlannedGoLive: Sendable {
        public var productCode: String
        public var goLive: Day?
        public init(productCode: String, goLive: Day?) {
            self.productCode = productCode
            self.goLive = goLive
        }
    }

    /// Warnings for `project` given the other projects at its organisation and above.
    public static func warnings(for project: PlannedGoLive, among related: [PlannedGoLive]) -> [SequenceWarning] {
        guard let product = ProductCatalogue.product(code: project.productCode) else { return [] }
        var warnings: [SequenceWarning] = []
        for prerequisite in product.prerequisites {
            let name = ProductCatalogue.product(code: prerequisite)?.name ?? prerequisite
            let candidates = related.filter { $0.productCode == prerequisite }
            if candidates.isEmpty {
                if ProductCatalogue.mustExist(prerequisite, for: product) {
                    warnings.append(SequenceWarning(
                        prerequisite: prerequisite,
                        message: "No \(name) project is planned here; \(product.name) should follow it."))
                }
                continue
            }
            let earliest = candidates.compactMap(\.goLive).min()
            if let mine = project.goLive, let theirs = earliest, mine < theirs {
                warnings.append(SequenceWarning(
                    prerequisite: prerequisite,
                    message: "Go-live \(mine.iso) is planned before \(name) goes live (\(theirs.iso))."))
            }
        }
        return warnings
    }
}
