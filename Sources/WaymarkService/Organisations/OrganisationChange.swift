import WaymarkCore

/// The one input for adding or editing an organisation, as sent: a form and a JSON body are
/// two adapters onto it. `OrganisationService` reads it, once, with errors keyed by these names.
public struct OrganisationChange: Sendable, Hashable {
    public var code: String?
    public var name: String?
    /// national, cluster, sha, lhc, trust, site or supplier.
    public var kind: String?
    public var subtype: String?
    /// The parent's code (not for suppliers or the national programme).
    public var parent: String?
    /// lsp, esp, nasp or nisp, for suppliers.
    public var supplierRole: String?
    public var postcode: String?
    public var openedOn: String?
    /// The version the sender read; required when editing.
    public var expectedVersion: Int?

    public init(code: String? = nil, name: String? = nil, kind: String? = nil, subtype: String? = nil, parent: String? = nil,
                supplierRole: String? = nil, postcode: String? = nil, openedOn: String? = nil, expectedVersion: Int? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.subtype = subtype
        self.parent = parent
        self.supplierRole = supplierRole
        self.postcode = postcode
        self.openedOn = openedOn
        self.expectedVersion = expectedVersion
    }

    /// From a form: fields named as above, and the hidden `version`. An empty subtype, postcode
    /// or opening date clears it; an empty choice (kind, parent, role) is absent.
    public init(form: [String: String]) {
        func choice(_ name: String) -> String? { form[name].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 } }
        self.init(code: choice("code"), name: form["name"], kind: choice("kind"), subtype: form["subtype"], parent: choice("parent"),
                  supplierRole: choice("supplierRole"), postcode: form["postcode"], openedOn: form["openedOn"],
                  expectedVersion: form["version"].flatMap { Int($0) })
    }

    /// A new organisation from the fields, or every problem with them (the parent is checked
    /// by the service, which looks it up).
    func newOrganisation() throws(ValidationFailure) -> Organisation {
        var errors: [FieldError] = []
        let kind = OrganisationKind(rawValue: (kind ?? "").trimmedWhitespace.lowercased())
        if kind == nil {
            errors.append(FieldError(field: "kind", message: "Choose the level: cluster, sha, lhc, trust, site or supplier."))
        } else if kind == .national {
            errors.append(FieldError(field: "kind", message: "There is one National Programme; it cannot be added."))
        }
        var organisation = Organisation(id: 0, code: OrganisationRules.normalisedCode(code ?? "") ?? (code ?? ""), name: "",
                                        kind: kind ?? .site, parentID: nil, ancestry: Ancestry())
        errors += apply(to: &organisation)
        if let role = supplierRole {
            if let parsed = SupplierRole(rawValue: role.trimmedWhitespace.lowercased()) { organisation.supplierRole = parsed } else {
                errors.append(FieldError(field: "supplierRole", message: "A supplier is an lsp, esp, nasp or nisp, not '\(role.prefix(20))'."))
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return organisation
    }

    /// Sets the editable fields that were sent; returns the problems reading them.
    func apply(to organisation: inout Organisation) -> [FieldError] {
        var errors: [FieldError] = []
        if let name { organisation.name = name.trimmedWhitespace }
        if let subtype { organisation.subtype = subtype.trimmedWhitespace.isEmpty ? nil : subtype.trimmedWhitespace }
        if let postcode, postcode.trimmedWhitespace.isEmpty {
            organisation.postcode = nil
        } else if let postcode {
            if let parsed = OrganisationRules.normalisedPostcode(postcode) { organisation.postcode = parsed } else {
                errors.append(FieldError(field: "postcode", message: "Give a UK postcode such as LS1 3EX, or leave it empty."))
            }
        }
        if let openedOn, openedOn.trimmedWhitespace.isEmpty {
            organisation.openedOn = nil
        } else if let openedOn {
            if let day = Day(iso: openedOn.trimmedWhitespace) { organisation.openedOn = day } else {
                errors.append(FieldError(field: "openedOn", message: "Enter the opening date as YYYY-MM-DD, for example 2004-04-01."))
            }
        }
        return errors
    }
}
