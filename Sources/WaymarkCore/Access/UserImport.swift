/// Planning a bulk import of users from CSV (issue 13): username, name, role, organisation.
/// Pure, so the preview and the apply compute the same plan. All or nothing: every problem is
/// reported with its line, and a plan with any problem adds no one.
public enum UserImport {
    /// Column names as read: lower case, with `_` and `-` as spaces, as for organisations.
    public static let columns = ["username", "name", "role", "organisation"]

    public struct Row: Sendable, Hashable {
        public var line: Int
        public var username: String
        public var displayName: String
        public var role: Role
        public var organisation: Organisation
    }

    public struct Plan: Sendable, Hashable {
        public var additions: [Row] = []
        public var problems: [OrganisationImport.Problem] = []
        /// What the plan adds, in a stable form: an apply refuses when it differs from the preview's.
        public var fingerprint: String {
            additions.map { "\($0.username)|\($0.displayName)|\($0.role.rawValue)|\($0.organisation.code)" }.joined(separator: "\n")
        }
    }

    /// The plan for `records` (the header first, with the line each record starts on), against
    /// the organisations by code and the usernames already taken, for `grantor`.
    public static func plan(_ records: [(line: Int, cells: [String])], organisations: [String: Organisation],
                            taken: Set<String>, grantor: UserRules.Grantor) -> Plan {
        var plan = Plan()
        func fail(_ line: Int, _ message: String) { plan.problems.append(OrganisationImport.Problem(line: line, message: message)) }
        guard let header = records.first else {
            fail(1, "The file is empty. Its first line names the columns: \(columns.joined(separator: ", ")).")
            return plan
        }
        let names = header.cells.map(OrganisationImport.normalisedColumn)
        let missing = columns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            fail(header.line, "The file has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s"). "
                 + "Columns needed: \(columns.joined(separator: ", ")).")
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
            let problems = rowProblems(cell, organisations: organisations, grantor: grantor)
            if !problems.isEmpty {
                problems.forEach { fail(record.line, $0) }
                continue
            }
            let row = Row(line: record.line, username: UserRules.newUsername(cell["username"]!)!,
                          displayName: UserRules.displayName(cell["name"]!)!, role: UserRules.role(cell["role"]!)!,
                          organisation: organisations[cell["organisation"]!.uppercased()]!)
            if let earlier = seen[row.username] {
                fail(row.line, "The username '\(row.username)' also appears on line \(earlier); each user appears once.")
            } else if taken.contains(row.username) {
                fail(row.line, "The username '\(row.username)' is taken.")
            } else {
                seen[row.username] = row.line
                plan.additions.append(row)
            }
        }
        if plan.additions.isEmpty && plan.problems.isEmpty { fail(header.line, "The file lists no users.") }
        if !plan.problems.isEmpty { plan.additions = [] }
        return plan
    }

    /// Every problem with one row's cells. An organisation the grantor does not administer
    /// reads as unknown, as it would anywhere else.
    static func rowProblems(_ cell: [String: String], organisations: [String: Organisation], grantor: UserRules.Grantor) -> [String] {
        var problems: [String] = []
        let username = cell["username"] ?? ""
        if UserRules.newUsername(username) == nil { problems.append("'\(username.prefix(70))': \(UserRules.usernameRule)") }
        if UserRules.displayName(cell["name"] ?? "") == nil { problems.append(UserRules.nameRule) }
        let role = UserRules.role(cell["role"] ?? "")
        if role == nil { problems.append("Unknown role '\((cell["role"] ?? "").prefix(40))'. \(UserRules.roleRule)") }
        let code = (cell["organisation"] ?? "").uppercased()
        let organisation = organisations[code].flatMap { org in grantor.scope.map { UserRules.administers($0, org) } == true ? org : nil }
        if organisation == nil { problems.append("Unknown organisation '\(code.prefix(20))'.") }
        if let role, let organisation {
            if let problem = UserRules.levelProblem(role, at: organisation) { problems.append(problem) }
            if let problem = UserRules.grantProblem(role, at: organisation, by: grantor) { problems.append(problem) }
        }
        return problems
    }
}
