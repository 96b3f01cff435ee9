/// What a supplier contract must satisfy (DOMAIN.md §1): the right kind of supplier for each
/// product, at the level that supplier works at, and never two contracts for one product at one
/// organisation on the same day, so exactly one supplier delivers each project.
public enum SupplierContractRules {
    /// The levels each supplier role contracts at: national service providers nationally, an
    /// LSP for a cluster, an existing-system provider for one trust or site.
    public static func levels(for role: SupplierRole) -> Set<OrganisationKind> {
        switch role {
        case .nasp, .nisp: [.national]
        case .lsp: [.cluster]
        case .esp: [.trust, .site]
        }
    }

    /// Whether a supplier with `role` can deliver `product`: the national services only through
    /// their own provider; local products through an LSP or an existing-system provider.
    public static func delivers(_ role: SupplierRole, _ product: Product) -> Bool {
        switch product.supplierRole {
        case .nasp, .nisp: role == product.supplierRole
        case .lsp, .esp: role == .lsp || role == .esp
        }
    }

    /// References name contracts in addresses, so they keep to a safe alphabet.
    public static func isReference(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 40 else { return false }
        func plain(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) }
        return plain(first) && text.unicodeScalars.allSatisfy { plain($0) || ".-_".unicodeScalars.contains($0) }
    }

    /// Every problem with a new or changed contract, keyed by the form's field names.
    /// `others` are the contracts already held at the same organisation.
    public static func check(_ contract: SupplierContract, supplier: Organisation, at organisation: Organisation,
                             others: [SupplierContract]) -> [FieldError] {
        var errors: [FieldError] = []
        if !isReference(contract.reference) {
            errors.append(FieldError(field: "reference", message: "Give the contract a reference of 1 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit."))
        }
        guard let role = supplier.supplierRole, supplier.kind == .supplier else {
            return errors + [FieldError(field: "supplier", message: "\(supplier.code) is not a supplier.")]
        }
        if organisation.isClosed {
            errors.append(FieldError(field: "organisation", message: "\(organisation.code) is closed."))
        }
        if !levels(for: role).contains(organisation.kind) {
            let allowed = levels(for: role).map(\.title).sorted().joined(separator: " or ")
            errors.append(FieldError(field: "organisation",
                                     message: "A \(role.rawValue.uppercased()) contracts for a \(allowed), not a \(organisation.kind.title)."))
        }
        if contract.products.isEmpty {
            errors.append(FieldError(field: "products", message: "Choose at least one product."))
        }
        for code in contract.products {
            guard let product = ProductCatalogue.product(code: code) else {
                errors.append(FieldError(field: "products", message: "\(code) is not a product in the catalogue."))
                continue
            }
            if !delivers(role, product) {
                errors.append(FieldError(field: "products", message: "A \(role.rawValue.uppercased()) does not deliver \(product.name)."))
            }
        }
        if let ends = contract.endsOn, ends < contract.startsOn {
            errors.append(FieldError(field: "endsOn", message: "The contract cannot end before it starts."))
        }
        for other in others where other.id != contract.id && other.overlapsInTime(contract) {
            let shared = Set(other.products).intersection(contract.products).sorted()
            if !shared.isEmpty {
                errors.append(FieldError(field: "products", message:
                    "\(other.reference) already covers \(shared.joined(separator: ", ")) at \(organisation.code) then; end it first, or hand it over."))
            }
        }
        return errors
    }

    /// The supplier delivering `product` at an organisation with `ancestry` on `day`: the
    /// deepest contract in force wins. The SQL form of this rule is in SQLStore+Contracts.swift.
    public static func supplier(of product: String, at ancestry: Ancestry, nationalID: Int64, on day: Day,
                                among contracts: [SupplierContract]) -> Int64? {
        contracts
            .filter { $0.isInForce(on: day) && $0.products.contains(product) }
            .filter { $0.organisationID == nationalID || ancestry.ids.contains($0.organisationID) }
            .max { ($0.depth, $0.id) < ($1.depth, $1.id) }?
            .supplierID
    }
}
