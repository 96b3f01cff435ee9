/// Planning a bulk import of staff from an HR extract (issue 15). Pure, so a preview and the
/// apply compute the same plan. All or nothing: every problem is reported with its line, and a
/// plan with any problem changes no one. A row whose staff number the employer already holds
/// updates that person, so the same monthly extract can be imported again.
public enum StaffImport {
    /// Column names as read: lower case, with `_` and `-` as spaces.
    public static let required = ["name", "organisation", "job role", "site"]
    public static let optional = ["staff number", "other sites", "waymark user"]

    public struct Row: Sendable, Hashable {
        public var line: Int
        public var staff: StaffMember
        /// The stored record it replaces, when the staff number is already held.
        public var replacing: Int64?
    }

    public struct Plan: Sendable, Hashable {
        public var rows: [Row] = []
        public var problems: [OrganisationImport.Problem] = []
        public var additions: Int { rows.count(where: { $0.replacing == nil }) }
        public var updates: Int { rows.count - additions }
    }

    /// Who may be imported where: the organisations by code (upper case) the importer can
    /// reach, and the staff numbers already held per employer.
    public struct Context: Sendable {
        public var organisations: [String: Organisation]
        public var existing: [Int64: [String: Int64]]
        public var catalogue: RBACCatalogue
        public init(organisations: [String: Organisation], existing: [Int64: [String: Int64]], catalogue: RBACCatalogue = .latest) {
            self.organisations = organisations
            self.existing = existing
            self.catalogue = catalogue
        }
    }

    public static func plan(_ records: [(line: Int, cells: [String])], context: Context) -> Plan {
        var plan = Plan()
        func fail(_ line: Int, _ message: String) { plan.problems.append(OrganisationImport.Problem(line: line, message: message)) }
        guard let header = records.first else {
            fail(1, "The file is empty. Its first line names the columns: \((required + optional).joined(separator: ", ")).")
            return plan
        }
        if let column = PatientDataGuard.patientColumn(header: header.cells, rows: records.dropFirst().map(\.cells)) {
            fail(header.line, PatientDataGuard.refusal(column))
            return plan
        }
        let names = header.cells.map(OrganisationImport.normalisedColumn)
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            fail(header.line, "The file has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s"). "
                 + "Columns needed: \(required.joined(separator: ", ")); optional: \(optional.joined(separator: ", ")).")
            return plan
        }
        var seen: [String: Int] = [:]
        for record in records.dropFirst() where !record.cells.allSatisfy({ $0.trimmedWhitespace.isEmpty }) {
            guard record.cells.count == names.count else {
                fail(record.line, "This row has \(record.cells.count) cells but the header has \(names.count).")
                continue
            }
            var cell: [String: String] = [:]
            for (name, value) in zip(names, record.cells) { cell[name] = value.trimmedWhitespace }
            switch row(cell, line: record.line, context: context) {
            case .failure(let problems): problems.messages.forEach { fail(record.line, $0) }
            case .success(var row):
                if let number = row.staff.staffNumber {
                    let key = "\(row.staff.organisationID)|\(number)"
                    if let earlier = seen[key] {
                        fail(row.line, "The staff number \(number) also appears on line \(earlier); each person appears once.")
                        continue
                    }
                    seen[key] = row.line
                    row.replacing = context.existing[row.staff.organisationID]?[number]
                }
                plan.rows.append(row)
            }
        }
        if plan.rows.isEmpty && plan.problems.isEmpty { fail(header.line, "The file lists no staff.") }
        if !plan.problems.isEmpty { plan.rows = [] }
        return plan
    }

    static func row(_ cell: [String: String], line: Int, context: Context) -> Result<Row, RowProblems> {
        var problems: [String] = []
        let name = StaffRules.name(cell["name"] ?? "")
        if name == nil { problems.append(StaffRules.nameRule) }
        let number = StaffRules.staffNumber(cell["staff number"] ?? "")
        if number == nil { problems.append(StaffRules.staffNumberRule) }
        let role = context.catalogue.jobRole(cell["job role"] ?? "")
        if role == nil { problems.append("Unknown job role '\((cell["job role"] ?? "").prefix(20))'. \(StaffRules.jobRoleRule(context.catalogue))") }
        let employer = organisation(cell["organisation"], context)
        if let problem = employer.problem { problems.append(problem) }
        let user = (cell["waymark user"] ?? "").trimmedWhitespace.lowercased()
        var sites: [Int64] = []
        if let employer = employer.organisation {
            let codes = [cell["site"] ?? ""] + (cell["other sites"] ?? "").split(whereSeparator: { $0 == "|" || $0 == ";" }).map(String.init)
            for code in codes where !code.trimmedWhitespace.isEmpty || sites.isEmpty {
                let site = organisation(code, context)
                if let problem = site.problem {
                    problems.append(problem)
                } else if let site = site.organisation {
                    if let refusal = PeopleRules.siteRefusal(site, employer: employer) { problems.append(refusal) } else if !sites.contains(site.id) { sites.append(site.id) }
                }
            }
        }
        guard problems.isEmpty, let name, let number, let role, let employer = employer.organisation, let main = sites.first else {
            return .failure(RowProblems(messages: problems))
        }
        return .success(Row(line: line, staff: StaffMember(staffNumber: number, name: name, organisationID: employer.id, jobRole: role.code,
                                                           mainSiteID: main, otherSiteIDs: Array(sites.dropFirst()),
                                                           waymarkUser: user.isEmpty ? nil : user)))
    }

    struct RowProblems: Error { var messages: [String] }

    static func organisation(_ code: String?, _ context: Context) -> (organisation: Organisation?, problem: String?) {
        let code = (code ?? "").trimmedWhitespace.uppercased()
        guard !code.isEmpty else { return (nil, "Give an organisation code.") }
        guard let organisation = context.organisations[code] else { return (nil, "There is no organisation '\(code.prefix(20))' that you can reach.") }
        return (organisation, nil)
    }
}

/// The rules every people write shares.
public enum PeopleRules {
    /// Staff are employed by a trust or a site (a GP practice).
    public static func employerRefusal(_ organisation: Organisation) -> String? {
        [.trust, .site].contains(organisation.kind) ? nil : "\(organisation.name) is a \(organisation.kind.title.lowercased()); staff are employed by a trust or a site."
    }

    /// A person works at their employer or one of its sites.
    public static func siteRefusal(_ site: Organisation, employer: Organisation) -> String? {
        if let refusal = employerRefusal(employer) { return refusal }
        return site.id == employer.id || site.ancestry.id(at: employer.kind) == employer.id ? nil
            : "\(site.name) is not \(employer.name) or one of its sites."
    }
}
