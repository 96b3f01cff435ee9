import Foundation
import WaymarkCore

/// Collects the report, folding repeats of one kind of note into the first ("and 311 more"), so a
/// 10,000-task file with costs on every task gives one line, not 10,000.
struct NoteCollector {
    private var notes: [ImportNote] = []
    private var indexOfKey: [String: Int] = [:]
    private var repeats: [Int] = []

    mutating func add(_ key: String, line: Int?, _ subject: String?, _ message: String) {
        if let index = indexOfKey[key] {
            repeats[index] += 1
            return
        }
        indexOfKey[key] = notes.count
        notes.append(ImportNote(line: line, subject: subject, message: message))
        repeats.append(0)
    }

    /// A note that is never folded.
    mutating func add(line: Int?, _ subject: String?, _ message: String) {
        notes.append(ImportNote(line: line, subject: subject, message: message))
        repeats.append(0)
    }

    var all: [ImportNote] {
        zip(notes, repeats).map { note, more in
            guard more > 0 else { return note }
            var note = note
            note.message += " (and \(more) more like it)"
            return note
        }
    }
}

/// Gathers tasks and links, refusing duplicate ids and links to tasks that are not there.
struct PlanBuilder {
    let format: PlanFormat
    private(set) var tasks: [PlanTask] = []
    private var lineOfTask: [Int: Int] = [:]
    private var links: [(dependency: Dependency, line: Int, subject: String)] = []

    init(format: PlanFormat) { self.format = format }

    func contains(_ id: Int) -> Bool { lineOfTask[id] != nil }

    mutating func add(_ task: PlanTask, line: Int, subject: String) throws(InterchangeError) {
        if let first = lineOfTask[task.id] {
            throw InterchangeError(.duplicateID, format, line: line,
                                   "\(subject) repeats id \(task.id), already used by the task on line \(first)")
        }
        lineOfTask[task.id] = line
        tasks.append(task)
    }

    mutating func link(_ dependency: Dependency, line: Int, subject: String) {
        links.append((dependency, line, subject))
    }

    /// The dependencies, once every local predecessor and successor is known to exist.
    func dependencies() throws(InterchangeError) -> [Dependency] {
        for (dependency, line, subject) in links {
            if dependency.predecessor.projectCode == nil, lineOfTask[dependency.predecessor.taskID] == nil {
                throw InterchangeError(.missingTask, format, line: line,
                                       "\(subject) depends on task \(dependency.predecessor.taskID), which is not in the file")
            }
            if lineOfTask[dependency.successorID] == nil {
                throw InterchangeError(.missingTask, format, line: line,
                                       "\(subject) is a link to task \(dependency.successorID), which is not in the file")
            }
        }
        return links.map(\.dependency)
    }
}

enum Text {
    /// UTF-8 (with or without a byte-order mark), else Windows-1252 as older P6 and Excel write.
    static func decode(_ data: Data) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        return String(data: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// A milestone by raw value ("go-live-completed") or title ("Go-Live Completed").
    static func nsiMilestone(_ text: String) -> MilestoneKind? {
        let key = text.trimmed.lowercased()
        guard !key.isEmpty else { return nil }
        return MilestoneKind(rawValue: key) ?? MilestoneKind.allCases.first { $0.title.lowercased() == key }
    }

    /// A constraint by code or title, e.g. "SNET" or "Start no earlier than".
    static func constraintKind(_ text: String) -> ConstraintKind? {
        let key = text.trimmed.lowercased()
        return ConstraintKind.allCases.first { $0.rawValue.lowercased() == key || $0.title.lowercased() == key }
    }

    /// "1"/"0" and "true"/"false" (XML), "Y"/"N" (P6), "yes"/"no" (people).
    static func flag(_ text: String) -> Bool? {
        switch text.trimmed.lowercased() {
        case "1", "true", "y", "yes": true
        case "0", "false", "n", "no", "": false
        default: nil
        }
    }
}

enum Outline {
    /// Outline order: "1.2" < "1.10" < "2", segment by segment, numerically where both are numbers.
    static func less(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: ".", omittingEmptySubsequences: false)
        let right = b.split(separator: ".", omittingEmptySubsequences: false)
        for (x, y) in zip(left, right) where x != y {
            if let m = Int(x), let n = Int(y) { return m < n }
            return x < y
        }
        return left.count < right.count
    }

    static func parent(of wbs: String) -> String? {
        guard let dot = wbs.lastIndex(of: ".") else { return nil }
        return String(wbs[..<dot])
    }

    static func level(of wbs: String) -> Int {
        wbs.isEmpty ? 1 : wbs.utf8.count { $0 == UInt8(ascii: ".") } + 1
    }

    static func isNumeric(_ wbs: String) -> Bool {
        !wbs.isEmpty && wbs.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }
    }
}

/// "1 working day", "3 working days".
func plural(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(abs(number) == 1 ? "" : "s")"
}

enum Rounding {
    /// Working days either way that a duration or lag may reach; the scheduler's own horizon.
    /// Beyond it a value is a mistake, and converting it to Int could trap.
    static let maximumDays = 1_000_000

    /// Whole working days from a span in the file's unit; durations round up (never shorter).
    /// `tooLong` is thrown for a span beyond `maximumDays`.
    static func durationDays(_ amount: Double, per day: Double,
                             tooLong: @autoclosure () -> InterchangeError) throws(InterchangeError) -> (days: Int, exact: Bool) {
        let days = amount / day
        guard days.isFinite, days.magnitude <= Double(maximumDays) else { throw tooLong() }
        let whole = days.rounded()
        if abs(days - whole) < 1e-6 { return (Int(whole), true) }
        return (Int(days.rounded(.up)), false)
    }

    /// Whole working days for a lag; leads and lags round to the nearest day.
    static func lagDays(_ amount: Double, per day: Double,
                        tooLong: @autoclosure () -> InterchangeError) throws(InterchangeError) -> (days: Int, exact: Bool) {
        let days = amount / day
        guard days.isFinite, days.magnitude <= Double(maximumDays) else { throw tooLong() }
        let whole = days.rounded()
        return (Int(whole), abs(days - whole) < 1e-6)
    }

    static func hours(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and line breaks; cheaper than Foundation's
    /// trimming, which matters at a few hundred thousand values a file.
    var trimmed: String {
        let bytes = utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = bytes.first, let last = bytes.last, isSpace(first) || isSpace(last) else { return String(self) }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(Substring(bytes[start...end]))
    }
}

extension String {
    var trimmed: String { self[...].trimmed }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension Day {
    /// The date part of "2025-01-06T08:00:00" or "2025-01-06 08:00".
    init?(dateTime text: some StringProtocol) {
        guard text.utf8.count >= 10 else { return nil }
        self.init(iso: text.prefix(10))
    }
}

extension WorkingCalendar {
    /// Bank holidays Waymark keeps that a file's calendar works through, between two days.
    static func bankHolidaysWorked(from start: Day, to end: Day, nonWorking: Set<Day>) -> [Day] {
        EnglishBankHolidays.all.filter { $0 >= start && $0 <= end && !$0.isWeekend && !nonWorking.contains($0) }
    }
}

enum NSINames {
    /// With no NSI field in a file, a milestone named exactly as an NSI milestone stands for it.
    static func match(_ plan: inout ProjectPlan, notes: inout NoteCollector, subject: (Int) -> String) {
        var taken: Set<MilestoneKind> = []
        for index in plan.tasks.indices where plan.tasks[index].isMilestone {
            guard let kind = Text.nsiMilestone(plan.tasks[index].name), taken.insert(kind).inserted else { continue }
            plan.tasks[index].nsiMilestone = kind
            notes.add(line: nil, subject(plan.tasks[index].id), "mapped to the NSI milestone \(kind.title) by its name")
        }
    }
}
