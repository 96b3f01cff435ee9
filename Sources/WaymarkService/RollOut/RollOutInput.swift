import WaymarkCore

/// The one input for a template version, as sent (form or JSON). Offsets are working days
/// from the wave start, keyed by milestone (`offset.go-live-completed` in a form).
public struct TemplateInput: Sendable, Hashable {
    public var code: String
    public var name: String
    public var product: String
    public var type: String?
    public var offsets: [String: String]
    public var catalogueVersion: Int?
    public var documents: [String]
    public var planTasks: [String]

    public init(code: String, name: String, product: String, type: String? = nil, offsets: [String: String], catalogueVersion: Int? = nil,
                documents: [String] = [], planTasks: [String] = []) {
        self.code = code
        self.name = name
        self.product = product
        self.type = type
        self.offsets = offsets
        self.catalogueVersion = catalogueVersion
        self.documents = documents
        self.planTasks = planTasks
    }

    public init(form: [String: String]) {
        var offsets: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("offset.") && !value.trimmedWhitespace.isEmpty {
            offsets[String(name.dropFirst("offset.".count))] = value
        }
        self.init(code: form["code"] ?? "", name: form["name"] ?? "", product: form["product"] ?? "",
                  type: form["type"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 }, offsets: offsets,
                  catalogueVersion: form["catalogueVersion"].flatMap { Int($0.trimmedWhitespace) },
                  documents: NewSupplierContract.codes(form["documents"] ?? ""),
                  planTasks: (form["planTasks"] ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmedWhitespace }.filter { !$0.isEmpty })
    }

    /// The template this describes, at `version`; problems keyed by field name.
    func template(version: Int) throws(ValidationFailure) -> RollOutTemplate {
        var errors: [FieldError] = []
        let code = product.trimmedWhitespace.uppercased()
        var type = ProductCatalogue.product(code: code)?.defaultType ?? .lsp
        if let sent = self.type {
            if let parsed = ProjectType(rawValue: sent.trimmedWhitespace.lowercased()) { type = parsed } else {
                errors.append(FieldError(field: "type", message: "A project is lsp or esp, not '\(sent.prefix(12))'."))
            }
        }
        var days: [MilestoneKind: Int] = [:]
        for (name, text) in offsets {
            guard let kind = MilestoneKind(rawValue: name) else {
                errors.append(FieldError(field: "offset.\(name.prefix(40))", message: "There is no milestone called '\(name.prefix(40))'."))
                continue
            }
            if let value = Int(text.trimmedWhitespace) { days[kind] = value } else {
                errors.append(FieldError(field: MilestoneRules.field("offset", kind), message: "Give \(kind.title) as a whole number of working days."))
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return RollOutTemplate(code: self.code.trimmedWhitespace.uppercased(), version: version, name: name.trimmedWhitespace, productCode: code,
                               type: type, offsets: days, catalogueVersion: catalogueVersion ?? NSIProductCatalogue.latest.number,
                               documents: documents.map { $0.uppercased() }, planTasks: planTasks)
    }
}

/// A roll-out, as sent: the template, which sites, and the waves.
public struct RollOutRequest: Sendable, Hashable {
    public var template: String
    public var version: Int?
    /// Filter: the sites below this organisation with no live project of the product yet…
    public var within: String?
    /// …of this subtype ("GP practice"), if given.
    public var subtype: String?
    /// Or an explicit list of site codes (an uploaded list).
    public var sites: [String]?
    public var waves: [RollOutWave]

    public init(template: String, version: Int? = nil, within: String? = nil, subtype: String? = nil, sites: [String]? = nil, waves: [RollOutWave]) {
        self.template = template
        self.version = version
        self.within = within
        self.subtype = subtype
        self.sites = sites
        self.waves = waves
    }

    /// An uploaded list of sites: one code per line, or a CSV (an ODS extract) whose first
    /// column is the code; a header row ("code", "site code", "organisation code") is skipped.
    public static func siteCodes(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let cell = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let code = String(cell.filter { $0 != "\"" && $0 != "\u{FEFF}" }).trimmedWhitespace
            return code.isEmpty || ["code", "site code", "organisation code"].contains(code.lowercased()) ? nil : code
        }
    }

    /// Waves as text, one per line or comma: `2027-01-04:50` is 50 sites a week from that day.
    public static func waves(_ text: String) throws(ValidationFailure) -> [RollOutWave] {
        var waves: [RollOutWave] = []
        for part in text.split(whereSeparator: { $0 == "," || $0.isNewline }).map({ String($0).trimmedWhitespace }).filter({ !$0.isEmpty }) {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let day = Day(iso: String(pieces[0])), let perWeek = Int(pieces[1]) else {
                throw ValidationFailure([FieldError(field: "waves", message: "Write each wave as START:SITES-PER-WEEK, for example 2027-01-04:50; '\(part.prefix(30))' is not.")])
            }
            waves.append(RollOutWave(start: day, perWeek: perWeek))
        }
        return waves
    }
}
