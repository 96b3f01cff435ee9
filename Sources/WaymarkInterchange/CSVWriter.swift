import Foundation
import WaymarkCore

/// The CSV layout, one task a row:
///
///     id,wbs,name,duration_days,summary,constraint,constraint_date,nsi_milestone,predecessors,start,finish
///
/// Row id 0 is the project row (as MS Project's task 0): its start is the plan's start. Constraints
/// are SNET/FNLT/MSO; nsi_milestone is a MilestoneKind raw value; predecessors are MS Project
/// style, "12FS+2;14SS-1" (a bare "12" is FS with no lag), with "CODE:12" for another project's
/// task; dates are YYYY-MM-DD. Cells that begin = + - @ are written with a leading ' so
/// spreadsheets do not run them as formulas. UTF-8 with a byte-order mark (for Excel), CRLF.
public enum CSVPlanFormat {
    public static let columns = ["id", "wbs", "name", "duration_days", "summary", "constraint", "constraint_date",
                                 "nsi_milestone", "predecessors", "start", "finish"]

    /// "12FS+2", "12SS-1", "12" (FS, no lag), "RX1-CRS:40FF".
    static func predecessor(_ dependency: Dependency, in plan: ProjectPlan) -> String {
        var text = ""
        if let code = dependency.predecessor.projectCode, code != plan.projectCode { text = code + ":" }
        text += String(dependency.predecessor.taskID)
        if dependency.kind == .finishToStart && dependency.lag == 0 { return text }
        text += dependency.kind.rawValue
        if dependency.lag > 0 { text += "+\(dependency.lag)" }
        if dependency.lag < 0 { text += String(dependency.lag) }
        return text
    }
}

enum CSVWriter {
    static func write(_ plan: ProjectPlan, taskDates: [Int: TaskDates], baselines: [PlanBaseline]) -> Data {
        var text = "\u{FEFF}"
        text.reserveCapacity(200 + plan.tasks.count * 120)
        var links: [Int: [Dependency]] = [:]
        for dependency in plan.dependencies { links[dependency.successorID, default: []].append(dependency) }
        func row(_ cells: [String]) {
            text += cells.map(cell).joined(separator: ",")
            text += "\r\n"
        }
        row(CSVPlanFormat.columns)
        row(["0", "", plan.projectCode, "", "yes", "", "", "", "", plan.start.iso, ""])
        for task in plan.tasks {
            let dates = taskDates[task.id]
            row([String(task.id), task.wbs, task.name, String(task.duration), task.isSummary ? "yes" : "",
                 task.constraint?.kind.rawValue ?? "", task.constraint?.date.iso ?? "", task.nsiMilestone?.rawValue ?? "",
                 (links[task.id] ?? []).map { CSVPlanFormat.predecessor($0, in: plan) }.joined(separator: ";"),
                 dates?.start.iso ?? "", dates?.finish.iso ?? ""])
        }
        return Data(text.utf8)
    }

    static func omissions(_ plan: ProjectPlan, baselines: [PlanBaseline]) -> [ImportNote] {
        var notes: [ImportNote] = []
        if !plan.calendar.extraHolidays.isEmpty || !plan.calendar.extraWorkingDays.isEmpty || plan.calendar != PlanCalendar() {
            notes.append(ImportNote(subject: "calendar", message: "CSV holds no calendar; the calendar '\(plan.calendar.name)' and its exceptions are not written"))
        }
        if !baselines.isEmpty {
            notes.append(ImportNote(subject: "baselines", message: "CSV holds no baselines; \(plural(baselines.count, "baseline")) not written"))
        }
        if plan.tasks.contains(where: { $0.id == 0 }) {
            notes.append(ImportNote(subject: "task 0", message: "row id 0 is the project row; task 0 will read back as the project row"))
        }
        return notes
    }

    /// Whether the text is some apostrophes (within `quotes`) then = + - or @. Writing adds one
    /// apostrophe to any such text and reading removes one, so even "'=x" reads back as written.
    static func startsLikeFormula(_ text: String, quotes: PartialRangeFrom<Int>) -> Bool {
        var count = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "'") {
                count += 1
                continue
            }
            let formula = byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            return formula && quotes.contains(count)
        }
        return false
    }

    /// RFC 4180 quoting, after guarding against formulas.
    static func cell(_ value: String) -> String {
        var value = value
        if startsLikeFormula(value, quotes: 0...) { value = "'" + value }
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
