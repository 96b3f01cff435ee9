import Foundation
import WaymarkCore

/// Reads the layout `CSVPlanFormat` describes. Columns are found by header name, in any order;
/// id, name and duration_days are required.
enum CSVReader {
    struct Record {
        var line: Int
        var cells: [String]
    }

    static func read(_ data: Data, projectCode: String) throws(InterchangeError) -> ImportedPlan {
        let records = try parse(Text.decode(data))
        guard let header = records.first else { throw InterchangeError(.malformed, .csv, line: 1, "the file is empty") }
        var notes = NoteCollector()
        var column: [String: Int] = [:]
        for (index, name) in header.cells.enumerated() {
            let key = name.trimmed.lowercased().replacingOccurrences(of: " ", with: "_")
            if CSVPlanFormat.columns.contains(key) {
                column[key] = column[key] ?? index
            } else if !key.isEmpty {
                notes.add(line: 1, "column \(name)", "is not a Waymark plan column; not imported")
            }
        }
        for required in ["id", "name", "duration_days"] where column[required] == nil {
            throw InterchangeError(.malformed, .csv, line: 1, "the header has no \(required) column (expected \(CSVPlanFormat.columns.joined(separator: ",")))")
        }

        var builder = PlanBuilder(format: .csv)
        var taskDates: [Int: TaskDates] = [:]
        var planStart: Day?
        for record in records.dropFirst() {
            guard record.cells.count <= header.cells.count else {
                throw InterchangeError(.malformed, .csv, line: record.line, "the row has \(record.cells.count) cells but the header has \(header.cells.count)")
            }
            if record.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            let row = Row(record: record, column: column)
            let id = try row.integer("id", required: true)!
            let start = try row.date("start")
            let finish = try row.date("finish")
            if id == 0 {
                guard let start else { throw InterchangeError(.malformed, .csv, line: record.line, "the project row (id 0) has no start date") }
                planStart = start
                continue
            }
            guard let duration = try row.integer("duration_days", required: true), duration >= 0 else {
                throw InterchangeError(.negativeDuration, .csv, line: record.line,
                                       "column duration_days is '\(row["duration_days"])', a negative duration (task \(id))")
            }
            guard let isSummary = Text.flag(row["summary"]) else {
                throw InterchangeError(.invalidValue, .csv, line: record.line, "column summary is '\(row["summary"])'; use yes or no (task \(id))")
            }
            var task = PlanTask(id: id, wbs: row["wbs"], name: row["name"], duration: duration, isSummary: isSummary)
            task.constraint = try constraint(row, task: id, notes: &notes)
            if !row["nsi_milestone"].isEmpty {
                guard let kind = Text.nsiMilestone(row["nsi_milestone"]) else {
                    throw InterchangeError(.invalidValue, .csv, line: record.line,
                                           "column nsi_milestone is '\(row["nsi_milestone"])', not one of \(MilestoneKind.allCases.map(\.rawValue).joined(separator: ", ")) (task \(id))")
                }
                task.nsiMilestone = kind
            }
            if let start, let finish { taskDates[id] = TaskDates(start: start, finish: finish) }
            try builder.add(task, line: record.line, subject: "the row")
            for dependency in try predecessors(row, successor: id) {
                builder.link(dependency, line: record.line, subject: "task \(id)")
            }
        }
        let tasks = builder.tasks
        let dependencies = try builder.dependencies()
        if planStart == nil {
            planStart = (taskDates.values.map(\.start) + tasks.compactMap { $0.constraint?.date }).min()
            guard planStart != nil else {
                throw InterchangeError(.malformed, .csv, line: nil, "no row gives a date: add a project row with id 0 and the plan's start")
            }
            notes.add(line: nil, "plan start", "there is no project row (id 0); the plan starts on the earliest date given, \(planStart!.iso)")
        }
        notes.add(line: nil, "calendar", "CSV holds no calendar; the England and Wales calendar is used")
        let plan = ProjectPlan(projectCode: projectCode, start: planStart!, tasks: tasks, dependencies: dependencies)
        return ImportedPlan(plan: plan, baselines: [], taskDates: taskDates, report: notes.all)
    }

    // MARK: - Cells

    struct Row {
        let record: Record
        let column: [String: Int]

        /// The trimmed cell, with the formula guard removed.
        subscript(name: String) -> String {
            guard let index = column[name], index < record.cells.count else { return "" }
            let value = record.cells[index].trimmed
            return CSVWriter.startsLikeFormula(value, quotes: 1...) ? String(value.dropFirst()) : value
        }

        func integer(_ name: String, required: Bool = false) throws(InterchangeError) -> Int? {
            let text = self[name]
            if text.isEmpty {
                guard !required else { throw InterchangeError(.malformed, .csv, line: record.line, "column \(name) is empty") }
                return nil
            }
            guard let value = Int(text) else {
                throw InterchangeError(.invalidValue, .csv, line: record.line, "column \(name) is '\(text)', which is not a whole number")
            }
            return value
        }

        func date(_ name: String) throws(InterchangeError) -> Day? {
            let text = self[name]
            if text.isEmpty { return nil }
            guard let day = CSVReader.day(text) else {
                throw InterchangeError(.invalidValue, .csv, line: record.line, "column \(name) is '\(text)', not a date like 2025-01-06")
            }
            return day
        }
    }

    /// ISO dates, or day/month/year as a UK spreadsheet saves them.
    static func day(_ text: String) -> Day? {
        if let day = Day(iso: text) ?? Day(dateTime: text) { return day }
        let parts = text.split(separator: "/")
        guard parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 else { return nil }
        return Day(year: y, month: m, day: d)
    }

    private static func constraint(_ row: Row, task: Int, notes: inout NoteCollector) throws(InterchangeError) -> TaskConstraint? {
        let code = row["constraint"]
        guard !code.isEmpty, code.uppercased() != "ASAP" else { return nil }
        guard let kind = Text.constraintKind(code) else {
            notes.add("constraint-\(code.uppercased())", line: row.record.line, "task \(task)",
                      "the constraint '\(code)' is not supported (only SNET, FNLT and MSO are); imported without it")
            return nil
        }
        guard let date = try row.date("constraint_date") else {
            throw InterchangeError(.malformed, .csv, line: row.record.line, "column constraint is \(code) but constraint_date is empty (task \(task))")
        }
        return TaskConstraint(kind, date)
    }

    /// "12FS+2;14SS-1;RX1-CRS:40"; commas separate too, as MS Project writes them.
    private static func predecessors(_ row: Row, successor: Int) throws(InterchangeError) -> [Dependency] {
        let text = row["predecessors"]
        guard !text.isEmpty else { return [] }
        return try text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { item throws(InterchangeError) in
            guard let dependency = parseLink(item.trimmed, successor: successor) else {
                throw InterchangeError(.invalidValue, .csv, line: row.record.line,
                                       "column predecessors has '\(item)', not a link like 12FS+2 (task \(successor))")
            }
            return dependency
        }
    }

    static func parseLink(_ text: String, successor: Int) -> Dependency? {
        var rest = Substring(text)
        var project: String?
        if let colon = rest.lastIndex(of: ":") {
            project = String(rest[..<colon]).trimmed
            rest = rest[rest.index(after: colon)...]
        }
        let digits = rest.prefix { $0.isASCIIDigitCharacter }
        guard let id = Int(digits) else { return nil }
        rest = rest.dropFirst(digits.count)
        var kind = DependencyKind.finishToStart
        if rest.count >= 2, let parsed = DependencyKind(rawValue: rest.prefix(2).uppercased()) {
            kind = parsed
            rest = rest.dropFirst(2)
        }
        var lag = 0
        let lagText = rest.trimmed.lowercased()
        if !lagText.isEmpty {
            guard let sign = lagText.first, sign == "+" || sign == "-" else { return nil }
            let number = lagText.dropFirst().trimmed
            let amount = number.prefix { $0.isASCIIDigitCharacter }
            guard let value = Int(amount), ["", "d", "day", "days", "wd", "wdays"].contains(number.dropFirst(amount.count).trimmed) else {
                return nil
            }
            lag = sign == "-" ? -value : value
        }
        guard project.map({ !$0.isEmpty }) ?? true else { return nil }
        return Dependency(predecessor: TaskReference(projectCode: project, taskID: id), successorID: successor, kind: kind, lag: lag)
    }

    // MARK: - RFC 4180

    static func parse(_ text: String) throws(InterchangeError) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoted = false
        var afterQuote = false
        var iterator = Array(text.utf8)
        iterator.append(0x0A) // closes the last record
        var i = 0
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        while i < iterator.count {
            let byte = iterator[i]
            if quoted {
                if byte == 0x22 {
                    if i + 1 < iterator.count, iterator[i + 1] == 0x22 {
                        cell.append(0x22)
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    cell.append(byte)
                }
            } else {
                switch byte {
                case 0x2C: endCell()
                case 0x0D where i + 1 < iterator.count && iterator[i + 1] == 0x0A: break
                case 0x0A:
                    endCell()
                    if !(cells.count == 1 && cells[0].isEmpty) { records.append(Record(line: recordLine, cells: cells)) }
                    cells.removeAll()
                    line += 1
                    recordLine = line
                case 0x22 where cell.allSatisfy({ $0 == 0x20 }) && !afterQuote:
                    cell.removeAll()
                    quoted = true
                default:
                    guard !afterQuote || byte == 0x20 else {
                        throw InterchangeError(.malformed, .csv, line: line, "text follows a closing quote inside a cell")
                    }
                    if !afterQuote { cell.append(byte) }
                }
            }
            i += 1
        }
        if quoted {
            throw InterchangeError(.malformed, .csv, line: recordLine, "a quoted cell opened on this line is never closed: the file is truncated or malformed")
        }
        return records
    }
}
