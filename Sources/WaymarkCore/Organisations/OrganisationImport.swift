/// Planning an import of the hierarchy from a CSV in the layout of NHS Organisation Data Service
/// extracts (issue 13): code, name, parent code, level, type, postcode, open date, close date. Pure,
/// so the preview and the apply compute the same plan from the same file and stored state.
public enum OrganisationImport {
    /// Column names as read: lower case, with `_` and `-` as spaces ("Parent_Code" is "parent code").
    public static let required = ["code", "name", "parent code", "level"]
    /// "type" is the ODS organisation type ("GP practice"); roll-outs select sites by it.
    public static let optional = ["type", "postcode", "open date", "close date"]

    public struct Row: Sendable, Hashable {
        public var line: Int
        public var code: String
        public var name: String
        public var parentCode: String?
        public var kind: OrganisationKind
        /// Nil when the file gives none: a stored type is then kept.
        public var subtype: String?
        public var postcode: String?
        public var openedOn: Day?
        public var closedOn: Day?
    }

    /// An organisation already in Waymark that the file changes.
    public struct Change: Sendable, Hashable {
        public var before: Organisation
        public var row: Row
        /// The new parent's code when the file moves it.
        public var newParentCode: String?
        public var closes: Bool { before.closedOn == nil && row.closedOn != nil }
        public var after: Organisation {
            var after = before
            after.name = row.name
            after.subtype = row.subtype ?? before.subtype
            after.postcode = row.postcode
            after.openedOn = row.openedOn ?? before.openedOn
            after.closedOn = row.closedOn
            return after
        }
    }

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "Line \(line): \(message)" }
    }

    public struct Plan: Sendable, Hashable {
        /// New organisations, parents before children.
        public var additions: [Row] = []
        /// Existing organisations the file changes (renames, moves, closures), parents first.
        public var changes: [Change] = []
        public var unchanged = 0
        public var problems: [Problem] = []

        public var isEmpty: Bool { additions.isEmpty && changes.isEmpty }
        public var moves: [Change] { changes.filter { $0.newParentCode != nil } }
        public var closures: [Change] { changes.filter(\.closes) }
        /// What the plan does, in a stable form: an apply refuses when it differs from the preview's.
        public var fingerprint: String {
            (additions.map { "+\($0.code)|\($0.name)|\($0.parentCode ?? "")|\($0.kind.rawValue)|\($0.subtype ?? "")" }
                + changes.map { "~\($0.before.code)@\($0.before.version)|\($0.row.name)|\($0.newParentCode ?? "")|\($0.row.closedOn?.iso ?? "")|\($0.row.subtype ?? "")" })
                .joined(separator: "\n")
        }
    }

    /// The plan for `records` (the header first, then one record per organisation, with the line
    /// each starts on) against the organisations stored now, by code.
    public static func plan(_ records: [(line: Int, cells: [String])], existing: [String: Organisation],
                            existingByID: [Int64: Organisation]) -> Plan {
        var plan = Plan()
        func fail(_ line: Int, _ message: String) { plan.problems.append(Problem(line: line, message: message)) }
        guard let header = records.first else {
            fail(1, "The file is empty. Its first line names the columns: \((required + optional).joined(separator: ", ")).")
            return plan
        }
        let columns = header.cells.map(normalisedColumn)
        let missing = required.filter { !columns.contains($0) }
        if !missing.isEmpty {
            fail(header.line, "The file has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s"). "
                 + "Columns needed: \(required.joined(separator: ", ")); optional: \(optional.joined(separator: ", ")).")
            return plan
        }
        // Read every row, so one pass reports every problem.
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.cells.allSatisfy({ $0.trimmedWhitespace.isEmpty }) { continue }
            guard record.cells.count == columns.count else {
                fail(record.line, "This row has \(record.cells.count) cells but the header has \(columns.count).")
                continue
            }
            var cell: [String: String] = [:]
            for (name, value) in zip(columns, record.cells) { cell[name] = value.trimmedWhitespace }
            guard let row = read(cell, line: record.line, fail: fail) else { continue }
            if let earlier = seen[row.code] {
                fail(row.line, "\(row.code) also appears on line \(earlier); each organisation appears once.")
                continue
            }
            seen[row.code] = row.line
            rows.append(row)
        }
        let inFile = Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0) })
        for row in rows { check(row, inFile: inFile, existing: existing, fail: fail) }
        guard plan.problems.isEmpty else { return plan }

        let order: [OrganisationKind] = [.cluster, .sha, .lhc, .trust, .site]
        for row in rows.sorted(by: { (order.firstIndex(of: $0.kind)!, $0.line) < (order.firstIndex(of: $1.kind)!, $1.line) }) {
            guard let before = existing[row.code] else {
                plan.additions.append(row)
                continue
            }
            let storedParent = before.parentID.flatMap { existingByID[$0]?.code }
            var change = Change(before: before, row: row)
            if row.parentCode != storedParent { change.newParentCode = row.parentCode }
            if change.after == before && change.newParentCode == nil {
                plan.unchanged += 1
            } else {
                plan.changes.append(change)
            }
        }
        return plan
    }

    public static func normalisedColumn(_ name: String) -> String {
        String(name.trimmedWhitespace.lowercased().map { $0 == "_" || $0 == "-" ? " " : $0 })
    }

    /// One row's fields, or nil after reporting why it cannot be read.
    static func read(_ cell: [String: String], line: Int, fail: (Int, String) -> Void) -> Row? {
        var ok = true
        func problem(_ message: String) { ok = false; fail(line, message) }
        let rawCode = cell["code"] ?? ""
        let code = OrganisationRules.normalisedCode(rawCode)
        if code == nil { problem("'\(rawCode.prefix(20))' is not an ODS code: 2 to 12 letters, digits or hyphens.") }
        let name = cell["name"] ?? ""
        if name.isBlank || name.count > OrganisationRules.maximumName { problem("Give the organisation's name (up to \(OrganisationRules.maximumName) characters).") }
        let levelText = (cell["level"] ?? "").lowercased()
        let kind = OrganisationKind.allCases.first { $0.rawValue == levelText || $0.title.lowercased() == levelText }
        if kind == .supplier {
            problem("Suppliers are not in ODS extracts: add each one with its role (LSP, ESP, NASP or NISP).")
        } else if kind == nil || kind == .national {
            problem("Level '\(levelText.prefix(30))' is not one of cluster, sha, lhc, trust or site.")
        }
        var postcode: String?
        if let text = cell["postcode"], !text.isEmpty {
            postcode = OrganisationRules.normalisedPostcode(text)
            if postcode == nil { problem("'\(text.prefix(12))' is not a UK postcode.") }
        }
        func date(_ column: String) -> Day? {
            guard let text = cell[column], !text.isEmpty else { return nil }
            if let day = Day(iso: text) ?? odsDate(text) { return day }
            problem("The \(column) '\(text.prefix(12))' is not a date: use YYYY-MM-DD (or ODS's YYYYMMDD).")
            return nil
        }
        let opened = date("open date"), closed = date("close date")
        if let opened, let closed, closed < opened { problem("It closes (\(closed.iso)) before it opens (\(opened.iso)).") }
        let parent = (cell["parent code"] ?? "").isEmpty ? nil : OrganisationRules.normalisedCode(cell["parent code"]!)
        if let text = cell["parent code"], !text.isEmpty, parent == nil { problem("The parent code '\(text.prefix(20))' is not an ODS code.") }
        guard ok, let code, let kind else { return nil }
        let subtype = (cell["type"] ?? "").isEmpty ? nil : cell["type"]
        if let subtype, subtype.count > 60 { problem("The type '\(subtype.prefix(20))…' is longer than 60 characters.") }
        return Row(line: line, code: code, name: name, parentCode: parent, kind: kind, subtype: subtype, postcode: postcode, openedOn: opened, closedOn: closed)
    }

    /// ODS writes dates as YYYYMMDD.
    static func odsDate(_ text: String) -> Day? {
        guard text.count == 8, text.allSatisfy(\.isNumber) else { return nil }
        let digits = Array(text)
        return Day(iso: "\(String(digits[0..<4]))-\(String(digits[4..<6]))-\(String(digits[6..<8]))")
    }

    /// The row's place in the hierarchy: its parent exists (in the file or in Waymark), is of
    /// the level above, is not closed, and is not in a loop; its level matches Waymark's.
    static func check(_ row: Row, inFile: [String: Row], existing: [String: Organisation], fail: (Int, String) -> Void) {
        if let stored = existing[row.code], stored.kind != row.kind {
            fail(row.line, "\(row.code) is a \(stored.kind.title.lowercased()) in Waymark, not a \(row.kind.title.lowercased()); levels do not change.")
            return
        }
        // A loop of parents within the file: follow the chain until it leaves the file or repeats.
        var chain = [row.code]
        var next = row.parentCode
        while let code = next, let parent = inFile[code] {
            if chain.contains(code) {
                fail(row.line, "\(row.code) is in a loop of parents: \((chain + [code]).joined(separator: " → ")).")
                return
            }
            chain.append(code)
            next = parent.parentCode
        }
        let expected = OrganisationRules.parentKind(of: row.kind)
        guard let parentCode = row.parentCode else {
            if let expected { fail(row.line, "A \(row.kind.title.lowercased()) needs a parent code (its \(expected.title.lowercased())).") }
            return
        }
        guard let expected else { return }
        let parentKind: OrganisationKind
        let parentClosed: Bool
        if let parent = inFile[parentCode] {
            (parentKind, parentClosed) = (parent.kind, parent.closedOn != nil)
        } else if let parent = existing[parentCode] {
            (parentKind, parentClosed) = (parent.kind, parent.closedOn != nil)
        } else {
            fail(row.line, "Unknown parent '\(parentCode)': it is neither in the file nor in Waymark.")
            return
        }
        if parentKind != expected {
            fail(row.line, "A \(row.kind.title.lowercased()) sits under a \(expected.title.lowercased()); \(parentCode) is a \(parentKind.title.lowercased()).")
        } else if parentClosed && row.closedOn == nil {
            fail(row.line, "Its parent \(parentCode) is closed; an open organisation needs an open parent.")
        }
    }

    /// Organisations as an extract in the layout this reads (parents before children), as the
    /// demo seed and the benchmark import them. `parentCodes` names parents outside the list.
    public static func extract(_ organisations: [Organisation], parentCodes: [Int64: String] = [:]) -> String {
        var codes = parentCodes
        for o in organisations { codes[o.id] = o.code }
        func cell(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text
        }
        var csv = "code,name,parent code,level,type,postcode,open date,close date\r\n"
        for o in organisations {
            csv += [o.code, o.name, o.parentID.flatMap { codes[$0] } ?? "", o.kind.rawValue, o.subtype ?? "", o.postcode ?? "",
                    o.openedOn?.iso ?? "", o.closedOn?.iso ?? ""].map(cell).joined(separator: ",") + "\r\n"
        }
        return csv
    }
}
