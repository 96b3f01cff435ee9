import Foundation
import WaymarkCore

/// Reads the XER container (ERMHDR, then %T table / %F fields / %R rows, ending %E) into tables;
/// `XERAssembler` makes the plan.
enum XERReader {
    static func read(_ data: Data, projectCode: String) throws(InterchangeError) -> ImportedPlan {
        let tables = try parse(Text.decode(data))
        var assembler = XERAssembler(tables: tables, projectCode: projectCode)
        return try assembler.assemble()
    }

    static func parse(_ text: String) throws(InterchangeError) -> [String: XERTable] {
        var tables: [String: XERTable] = [:]
        var current: XERTable?
        var sawHeader = false
        var ended = false
        var lineNumber = 0
        func store() {
            if let table = current { tables[table.name] = table }
        }
        // Split on bytes: walking Characters (grapheme clusters) is several times slower.
        for bytes in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(bytes.last == 0x0D ? bytes.dropLast() : bytes)
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if !sawHeader {
                guard line.hasPrefix("ERMHDR") else {
                    throw InterchangeError(.malformed, .xer, line: lineNumber, "the file does not start with ERMHDR: this is not a Primavera XER file")
                }
                sawHeader = true
                continue
            }
            let values = line.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map { Substring($0) }
            switch values[0] {
            case "%T":
                store()
                guard values.count >= 2, !values[1].isEmpty else {
                    throw InterchangeError(.malformed, .xer, line: lineNumber, "%T has no table name")
                }
                let name = String(values[1])
                if let earlier = tables[name] {
                    throw InterchangeError(.malformed, .xer, line: lineNumber, "table \(name) appears again (first on line \(earlier.line))")
                }
                current = XERTable(name: name, line: lineNumber)
            case "%F":
                guard current != nil else { throw InterchangeError(.malformed, .xer, line: lineNumber, "%F comes before any %T table line") }
                guard current!.fields.isEmpty else {
                    throw InterchangeError(.malformed, .xer, line: lineNumber, "table \(current!.name) has a second %F line")
                }
                current!.setFields(values.dropFirst().map { String($0) })
            case "%R":
                guard let table = current, !table.fields.isEmpty else {
                    throw InterchangeError(.malformed, .xer, line: lineNumber, "%R comes before the table's %F field line")
                }
                let row = Array(values.dropFirst())
                guard row.count <= table.fields.count else {
                    throw InterchangeError(.malformed, .xer, line: lineNumber,
                                           "the \(table.name) row has \(row.count) values but the table has \(table.fields.count) fields")
                }
                current!.rows.append(XERRow(line: lineNumber, values: row))
            case "%E":
                ended = true
            default:
                throw InterchangeError(.malformed, .xer, line: lineNumber,
                                       "the line starts '\(values[0].prefix(20))', not %T, %F, %R or %E")
            }
            if ended { break }
        }
        guard sawHeader else { throw InterchangeError(.malformed, .xer, line: 1, "the file is empty") }
        guard ended else {
            throw InterchangeError(.malformed, .xer, line: lineNumber, "the file ends without the %E end line: it is truncated")
        }
        store()
        return tables
    }
}

struct XERRow {
    var line: Int
    var values: [Substring]
}

struct XERTable {
    var name: String
    var line: Int
    private(set) var fields: [String] = []
    private var index: [String: Int] = [:]
    var rows: [XERRow] = []

    init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    mutating func setFields(_ fields: [String]) {
        self.fields = fields
        for (position, field) in fields.enumerated() where index[field] == nil { index[field] = position }
    }

    func has(_ field: String) -> Bool { index[field] != nil }

    /// A row's value for a field, trimmed; "" when the field or value is absent.
    func value(_ row: XERRow, _ field: String) -> String {
        guard let position = index[field], position < row.values.count else { return "" }
        return row.values[position].trimmed
    }

    func integer(_ row: XERRow, _ field: String, what: String) throws(InterchangeError) -> Int? {
        let text = value(row, field)
        if text.isEmpty { return nil }
        guard let number = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }) else {
            throw InterchangeError(.invalidValue, .xer, line: row.line, "\(name) field \(field) is '\(text)', which is not a whole number (\(what))")
        }
        return number
    }

    func required(_ row: XERRow, _ field: String, what: String) throws(InterchangeError) -> Int {
        guard let number = try integer(row, field, what: what) else {
            throw InterchangeError(.malformed, .xer, line: row.line, "\(name) field \(field) is empty (\(what))")
        }
        return number
    }

    func number(_ row: XERRow, _ field: String, what: String) throws(InterchangeError) -> Double? {
        let text = value(row, field)
        if text.isEmpty { return nil }
        guard let number = Double(text), number.isFinite else {
            throw InterchangeError(.invalidValue, .xer, line: row.line, "\(name) field \(field) is '\(text)', which is not a number (\(what))")
        }
        return number
    }

    func day(_ row: XERRow, _ field: String, what: String) throws(InterchangeError) -> Day? {
        let text = value(row, field)
        if text.isEmpty { return nil }
        guard let day = Day(dateTime: text) else {
            throw InterchangeError(.invalidValue, .xer, line: row.line,
                                   "\(name) field \(field) is '\(text)', not a date like 2025-01-06 08:00 (\(what))")
        }
        return day
    }
}

/// P6 calendar data: nested "(0||key(params)(children))" nodes.
struct XERCalendarData {
    struct Node {
        var key: String
        var params: String
        var children: [Node]
    }

    /// Working minutes for days 1 (Sunday) to 7 that the data gives.
    var weekMinutes: [Int: Int] = [:]
    var exceptions: [(day: Day, minutes: Int)] = []

    init?(_ text: String) {
        var parser = Parser(bytes: Array(text.utf8))
        guard let root = parser.node(), root.key == "CalendarData" else { return nil }
        for section in root.children {
            switch section.key {
            case "DaysOfWeek":
                for day in section.children {
                    if let number = Int(day.key) { weekMinutes[number] = Self.minutes(day.children) }
                }
            case "Exceptions":
                for exception in section.children {
                    let parts = exception.params.split(separator: "|")
                    guard parts.count >= 2, parts[0] == "d", let serial = Int(parts[1]) else { continue }
                    exceptions.append((Day(ordinal: serial - XER.serialOffset), Self.minutes(exception.children)))
                }
            default: break
            }
        }
    }

    /// Sum of "s|08:00|f|12:00" periods.
    private static func minutes(_ periods: [Node]) -> Int {
        periods.reduce(0) { total, period in
            let parts = period.params.split(separator: "|").map(String.init)
            guard let s = parts.firstIndex(of: "s"), let f = parts.firstIndex(of: "f"), s + 1 < parts.count, f + 1 < parts.count,
                  let from = clock(parts[s + 1]), let to = clock(parts[f + 1]) else { return total }
            return total + (to > from ? to - from : to + 1440 - from)
        }
    }

    private static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return h * 60 + m
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        var depth = 0

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x7F { at += 1 }
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func until(_ byte: UInt8) -> String? {
            let start = at
            while at < bytes.count, bytes[at] != byte { at += 1 }
            guard at < bytes.count else { return nil }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        mutating func node() -> Node? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 32, expect(UInt8(ascii: "(")) else { return nil }
            // "0||" then the key up to its parameter list.
            guard let head = until(UInt8(ascii: "(")), let bars = head.range(of: "||") else { return nil }
            let key = String(head[bars.upperBound...]).trimmed
            at += 1
            guard let params = until(UInt8(ascii: ")")) else { return nil }
            at += 1
            guard expect(UInt8(ascii: "(")) else { return nil }
            var children: [Node] = []
            while true {
                skipSpace()
                // Like MPXJ, accept data that ends before closing all its nodes.
                guard at < bytes.count else { return Node(key: key, params: params, children: children) }
                if bytes[at] == UInt8(ascii: ")") {
                    at += 1
                    break
                }
                guard let child = node() else { return nil }
                children.append(child)
            }
            guard expect(UInt8(ascii: ")")) || at >= bytes.count else { return nil }
            return Node(key: key, params: params, children: children)
        }
    }
}
