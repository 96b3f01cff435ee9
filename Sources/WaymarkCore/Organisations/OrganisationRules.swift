/// What makes an organisation valid where it sits (DOMAIN.md §2): its level's parent, an
/// ODS-style code, a name, an optional postcode, and dates that run forwards.
public enum OrganisationRules {
    /// The level an organisation of `kind` sits under; nil for the national programme and for
    /// suppliers, which sit outside the hierarchy.
    public static func parentKind(of kind: OrganisationKind) -> OrganisationKind? {
        switch kind {
        case .national, .supplier: nil
        case .cluster: .national
        case .sha: .cluster
        case .lhc: .sha
        case .trust: .lhc
        case .site: .trust
        }
    }

    public static let maximumName = 200

    /// An ODS-style code: 2 to 12 letters, digits or hyphens, starting with a letter or digit.
    /// Codes are stored upper-case, so "rr8" and "RR8" are the same organisation.
    public static func normalisedCode(_ text: String) -> String? {
        let code = text.trimmedWhitespace.uppercased()
        guard (2...12).contains(code.count), let first = code.unicodeScalars.first, isCodeScalar(first), first != "-",
              code.unicodeScalars.allSatisfy(isCodeScalar) else { return nil }
        return code
    }

    private static func isCodeScalar(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-"
    }

    /// A UK postcode in its usual written form ("LS1 3EX"), or nil when it is not one.
    public static func normalisedPostcode(_ text: String) -> String? {
        let compact = text.uppercased().filter { !$0.isWhitespace }
        guard (5...7).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              compact.first?.isLetter == true else { return nil }
        let inward = compact.suffix(3)
        guard inward.first?.isNumber == true, inward.dropFirst().allSatisfy(\.isLetter) else { return nil }
        return "\(compact.dropLast(3)) \(inward)"
    }

    /// Every problem with `organisation` placed under `parent` (nil for none).
    public static func check(_ organisation: Organisation, parent: Organisation?) -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        if normalisedCode(organisation.code) != organisation.code {
            fail("code", "Give an ODS code of 2 to 12 letters, digits or hyphens, for example RR8 or B86001.")
        }
        if organisation.name.isBlank || organisation.name.count > maximumName {
            fail("name", "Give the organisation's name (up to \(maximumName) characters).")
        }
        switch (parentKind(of: organisation.kind), parent) {
        case (nil, nil): break
        case (nil, .some):
            fail("parent", "\(organisation.kind.title) organisations have no parent.")
        case (.some(let kind), nil):
            fail("parent", "A \(organisation.kind.title.lowercased()) sits under a \(kind.title.lowercased()); give its parent's code.")
        case (.some(let kind), .some(let parent)):
            if parent.kind != kind {
                fail("parent", "A \(organisation.kind.title.lowercased()) sits under a \(kind.title.lowercased()), not a \(parent.kind.title.lowercased()) (\(parent.code)).")
            } else if parent.isClosed {
                fail("parent", "\(parent.code) closed on \(parent.closedOn!.iso); choose an open parent.")
            }
        }
        if organisation.supplierRole != nil, organisation.kind != .supplier {
            fail("supplierRole", "Only suppliers have a supplier role.")
        }
        if organisation.kind == .supplier, organisation.supplierRole == nil {
            fail("supplierRole", "Say whether the supplier is an LSP, ESP, NASP or NISP.")
        }
        if let postcode = organisation.postcode, normalisedPostcode(postcode) != postcode {
            fail("postcode", "Give a UK postcode such as LS1 3EX, or leave it empty.")
        }
        if let opened = organisation.openedOn, let closed = organisation.closedOn, closed < opened {
            fail("closedOn", "An organisation cannot close (\(closed.iso)) before it opened (\(opened.iso)).")
        }
        return errors
    }
}
