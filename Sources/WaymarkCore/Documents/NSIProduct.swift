/// An NSI product (DOMAIN.md §6, guide §4.3.2, §4.4.1): a document a stage produces and, for
/// the mandatory ones, must have signed off before the stage can close. Not to be confused
/// with `Product`, the system being implemented.
public struct NSIProduct: Hashable, Sendable, Codable, Identifiable {
    /// Short, stable, upper case: "PID", "PROJECT-BRIEF". Templates are named after it.
    public var code: String
    public var name: String
    /// The stage whose gate needs it.
    public var stage: NSIStage
    public var area: AreaOfResponsibility
    public var mandatoryForLSP: Bool
    public var mandatoryForESP: Bool
    /// The role whose holder signs it off (the Project Board signs the PID, §4.4.1.2).
    public var approver: Role
    /// Roles asked to review a version before approval.
    public var reviewers: [Role]
    public var purpose: String

    public var id: String { code }

    public init(code: String, name: String, stage: NSIStage, area: AreaOfResponsibility, mandatoryForLSP: Bool,
                mandatoryForESP: Bool, approver: Role, reviewers: [Role], purpose: String) {
        self.code = code
        self.name = name
        self.stage = stage
        self.area = area
        self.mandatoryForLSP = mandatoryForLSP
        self.mandatoryForESP = mandatoryForESP
        self.approver = approver
        self.reviewers = reviewers
        self.purpose = purpose
    }

    public func isMandatory(for type: ProjectType) -> Bool { type == .lsp ? mandatoryForLSP : mandatoryForESP }
}

/// One issue of the catalogue. Projects keep the version they started with until a newer one
/// is applied to them, so a revision never changes a gate under a project's feet.
public struct NSIProductCatalogueVersion: Hashable, Sendable {
    public var number: Int
    public var issued: Day
    /// What changed from the previous version, for people.
    public var summary: String
    public var products: [NSIProduct]

    public init(number: Int, issued: Day, summary: String, products: [NSIProduct]) {
        self.number = number
        self.issued = issued
        self.summary = summary
        self.products = products
    }

    public func product(code: String) -> NSIProduct? { products.first { $0.code == code.uppercased() } }

    /// The products a project of `type` must have approved before stage `stage` can close.
    public func mandatory(stage: NSIStage, type: ProjectType) -> [NSIProduct] {
        products.filter { $0.stage == stage && $0.isMandatory(for: type) }
    }
}

public enum NSIProductCatalogue {
    /// Every version, oldest first (`NSIProductCatalogue+Versions.swift`).
    public static var versions: [NSIProductCatalogueVersion] { [version1, version2] }
    public static var latest: NSIProductCatalogueVersion { versions.last! }
    /// The version a project without a recorded one is on: the first, in force when the
    /// programme's projects started.
    public static let initialVersion = 1

    public static func version(_ number: Int) -> NSIProductCatalogueVersion? { versions.first { $0.number == number } }

    /// The product in any version, latest first (a document keeps its product even when a
    /// later catalogue drops it).
    public static func anyProduct(code: String) -> NSIProduct? {
        for version in versions.reversed() { if let p = version.product(code: code) { return p } }
        return nil
    }
}

/// What applying a newer catalogue version to a project would change.
public struct CatalogueDiff: Hashable, Sendable {
    public struct Change: Hashable, Sendable {
        public var before: NSIProduct
        public var after: NSIProduct
        /// "mandatory for LSP: no → yes", one line per field that differs.
        public var lines: [String]
    }
    public var from: Int
    public var to: Int
    public var added: [NSIProduct]
    public var removed: [NSIProduct]
    public var changed: [Change]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public init(from old: NSIProductCatalogueVersion, to new: NSIProductCatalogueVersion) {
        from = old.number
        to = new.number
        let oldCodes = Set(old.products.map(\.code))
        let newCodes = Set(new.products.map(\.code))
        added = new.products.filter { !oldCodes.contains($0.code) }
        removed = old.products.filter { !newCodes.contains($0.code) }
        changed = new.products.compactMap { after in
            guard let before = old.product(code: after.code) else { return nil }
            let lines = Self.lines(before, after)
            return lines.isEmpty ? nil : Change(before: before, after: after, lines: lines)
        }
    }

    static func lines(_ a: NSIProduct, _ b: NSIProduct) -> [String] {
        func yesNo(_ v: Bool) -> String { v ? "yes" : "no" }
        var lines: [String] = []
        if a.name != b.name { lines.append("name: \(a.name) → \(b.name)") }
        if a.stage != b.stage { lines.append("stage: \(a.stage.title) → \(b.stage.title)") }
        if a.area != b.area { lines.append("area: \(a.area.title) → \(b.area.title)") }
        if a.mandatoryForLSP != b.mandatoryForLSP { lines.append("mandatory for LSP projects: \(yesNo(a.mandatoryForLSP)) → \(yesNo(b.mandatoryForLSP))") }
        if a.mandatoryForESP != b.mandatoryForESP { lines.append("mandatory for ESP projects: \(yesNo(a.mandatoryForESP)) → \(yesNo(b.mandatoryForESP))") }
        if a.approver != b.approver { lines.append("approver: \(a.approver.title) → \(b.approver.title)") }
        if a.reviewers != b.reviewers {
            lines.append("reviewers: \(a.reviewers.map(\.title).joined(separator: ", ")) → \(b.reviewers.map(\.title).joined(separator: ", "))")
        }
        if a.purpose != b.purpose { lines.append("purpose reworded") }
        return lines
    }
}
