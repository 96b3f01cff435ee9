import Foundation
import WaymarkCore

/// The MSPDI codes and conventions both the reader and writer use.
///
/// Mapping: PlanTask.id is the task UID; wbs is OutlineNumber (and WBS); duration is Duration at
/// 8 hours a day (MinutesPerDay 480); the NSI milestone is the custom field Text30 (aliased
/// "NSI Milestone") holding the MilestoneKind raw value; baselines are Baseline 0...10; a link
/// to another project's task is a CrossProject link named "<project code>\<task id>".
enum MSPDI {
    static let namespace = "http://schemas.microsoft.com/project"
    static let nsiFieldID = 188_744_016 // Text30
    static let nsiFieldName = "Text30"
    static let nsiAlias = "NSI Milestone"
    static let minutesPerDay = 480
    static let calendarUID = 1

    static func constraintCode(_ kind: ConstraintKind) -> Int {
        switch kind {
        case .mustStartOn: 2
        case .startNoEarlierThan: 4
        case .finishNoLaterThan: 7
        }
    }

    static func linkCode(_ kind: DependencyKind) -> Int {
        switch kind {
        case .finishToFinish: 0
        case .finishToStart: 1
        case .startToFinish: 2
        case .startToStart: 3
        }
    }

    static func baselineName(_ number: Int) -> String { number == 0 ? "Baseline" : "Baseline \(number)" }
}

enum MSPDIWriter {
    static func write(_ plan: ProjectPlan, taskDates: [Int: TaskDates], baselines: [PlanBaseline]) -> Data {
        var xml = XMLText(capacity: 1_000 + plan.tasks.count * 900)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Project xmlns=\"\(MSPDI.namespace)\">\n")
        xml.level = 1
        xml.element("SaveVersion", "14")
        xml.element("Name", plan.projectCode)
        xml.element("Title", plan.projectCode)
        xml.element("ScheduleFromStart", "1")
        xml.element("StartDate", start(plan.start))
        xml.element("CalendarUID", String(MSPDI.calendarUID))
        xml.element("DefaultStartTime", "08:00:00")
        xml.element("DefaultFinishTime", "17:00:00")
        xml.element("MinutesPerDay", String(MSPDI.minutesPerDay))
        xml.element("MinutesPerWeek", String(MSPDI.minutesPerDay * 5))
        xml.element("DaysPerMonth", "20")
        xml.element("DurationFormat", "7")
        xml.element("WeekStartDay", "1")
        xml.element("NewTasksAreManual", "0")
        xml.open("ExtendedAttributes")
        xml.open("ExtendedAttribute")
        xml.element("FieldID", String(MSPDI.nsiFieldID))
        xml.element("FieldName", MSPDI.nsiFieldName)
        xml.element("Alias", MSPDI.nsiAlias)
        xml.close("ExtendedAttribute")
        xml.close("ExtendedAttributes")
        writeCalendar(plan.calendar, into: &xml)
        writeTasks(plan, taskDates: taskDates, baselines: Array(baselines.prefix(11)), into: &xml)
        xml.level = 0
        xml.raw("</Project>\n")
        return Data(xml.text.utf8)
    }

    static func omissions(_ plan: ProjectPlan, baselines: [PlanBaseline]) -> [ImportNote] {
        var notes: [ImportNote] = []
        if !baselines.isEmpty {
            notes.append(ImportNote(subject: "baselines", message: "MS Project keeps baseline dates but not their names or save times; they read back as Baseline, Baseline 1, ..."))
        }
        if baselines.count > 11 {
            notes.append(ImportNote(subject: "baselines", message: "MS Project holds 11 baselines; the last \(baselines.count - 11) are not written"))
        }
        return notes
    }

    // MARK: - Calendar

    private static func writeCalendar(_ calendar: PlanCalendar, into xml: inout XMLText) {
        xml.open("Calendars")
        xml.open("Calendar")
        xml.element("UID", String(MSPDI.calendarUID))
        xml.element("Name", calendar.name)
        xml.element("IsBaseCalendar", "1")
        xml.element("IsBaselineCalendar", "0")
        xml.element("BaseCalendarUID", "-1")
        xml.open("WeekDays")
        for dayType in 1...7 { // 1 is Sunday
            xml.open("WeekDay")
            xml.element("DayType", String(dayType))
            let working = dayType != 1 && dayType != 7
            xml.element("DayWorking", working ? "1" : "0")
            if working { writeWorkingTimes(into: &xml) }
            xml.close("WeekDay")
        }
        xml.close("WeekDays")
        // Bank holidays go in too: MS Project has no England and Wales calendar of its own.
        var exceptions: [(day: Day, working: Bool, name: String)] = []
        for day in EnglishBankHolidays.all where !calendar.extraWorkingDays.contains(day) {
            exceptions.append((day, false, "Bank holiday"))
        }
        let bank = Set(EnglishBankHolidays.all)
        for day in calendar.extraHolidays where !bank.contains(day) && !calendar.extraWorkingDays.contains(day) {
            exceptions.append((day, false, "Holiday"))
        }
        for day in calendar.extraWorkingDays { exceptions.append((day, true, "Working day")) }
        exceptions.sort { $0.day < $1.day }
        xml.open("Exceptions")
        for exception in exceptions {
            xml.open("Exception")
            xml.element("EnteredByOccurrences", "0")
            xml.open("TimePeriod")
            xml.element("FromDate", exception.day.iso + "T00:00:00")
            xml.element("ToDate", exception.day.iso + "T23:59:00")
            xml.close("TimePeriod")
            xml.element("Occurrences", "1")
            xml.element("Name", exception.name)
            xml.element("Type", "1")
            xml.element("DayWorking", exception.working ? "1" : "0")
            if exception.working { writeWorkingTimes(into: &xml) }
            xml.close("Exception")
        }
        xml.close("Exceptions")
        xml.close("Calendar")
        xml.close("Calendars")
    }

    private static func writeWorkingTimes(into xml: inout XMLText) {
        xml.open("WorkingTimes")
        for (from, to) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
            xml.open("WorkingTime")
            xml.element("FromTime", from)
            xml.element("ToTime", to)
            xml.close("WorkingTime")
        }
        xml.close("WorkingTimes")
    }

    // MARK: - Tasks

    private static func writeTasks(_ plan: ProjectPlan, taskDates: [Int: TaskDates], baselines: [PlanBaseline],
                                   into xml: inout XMLText) {
        // MS Project reads the outline from task order, so tasks go out in WBS order.
        let ordered = plan.tasks.enumerated().sorted { a, b in
            a.element.wbs == b.element.wbs ? a.offset < b.offset : Outline.less(a.element.wbs, b.element.wbs)
        }.map(\.element)
        var linksBySuccessor: [Int: [Dependency]] = [:]
        for dependency in plan.dependencies { linksBySuccessor[dependency.successorID, default: []].append(dependency) }
        // Links to other projects need a PredecessorUID clear of this plan's UIDs.
        var nextExternalUID = (plan.tasks.map(\.id).max() ?? 0) + 1
        var externalUIDs: [TaskReference: Int] = [:]

        xml.open("Tasks")
        for (row, task) in ordered.enumerated() {
            xml.open("Task")
            xml.element("UID", String(task.id))
            xml.element("ID", String(row + 1))
            xml.element("Name", task.name)
            xml.element("Active", "1")
            xml.element("Manual", "0")
            xml.element("IsNull", "0")
            xml.element("WBS", task.wbs)
            if Outline.isNumeric(task.wbs) { xml.element("OutlineNumber", task.wbs) }
            xml.element("OutlineLevel", String(Outline.level(of: task.wbs)))
            if let dates = taskDates[task.id] {
                xml.element("Start", task.isMilestone ? finish(dates.start) : start(dates.start))
                xml.element("Finish", finish(dates.finish))
            }
            xml.element("Duration", duration(task.duration))
            xml.element("DurationFormat", "7")
            xml.element("Estimated", "0")
            xml.element("Milestone", task.isMilestone ? "1" : "0")
            xml.element("Summary", task.isSummary ? "1" : "0")
            if let constraint = task.constraint {
                xml.element("ConstraintType", String(MSPDI.constraintCode(constraint.kind)))
                xml.element("CalendarUID", "-1")
                let date = constraint.kind == .finishNoLaterThan ? finish(constraint.date) : start(constraint.date)
                xml.element("ConstraintDate", date)
            } else {
                xml.element("ConstraintType", "0")
                xml.element("CalendarUID", "-1")
            }
            for link in linksBySuccessor[task.id] ?? [] {
                xml.open("PredecessorLink")
                if let code = link.predecessor.projectCode, code != plan.projectCode {
                    let uid = externalUIDs[link.predecessor] ?? nextExternalUID
                    if externalUIDs[link.predecessor] == nil {
                        externalUIDs[link.predecessor] = uid
                        nextExternalUID += 1
                    }
                    xml.element("PredecessorUID", String(uid))
                    xml.element("Type", String(MSPDI.linkCode(link.kind)))
                    xml.element("CrossProject", "1")
                    xml.element("CrossProjectName", "\(code)\\\(link.predecessor.taskID)")
                } else {
                    xml.element("PredecessorUID", String(link.predecessor.taskID))
                    xml.element("Type", String(MSPDI.linkCode(link.kind)))
                    xml.element("CrossProject", "0")
                }
                xml.element("LinkLag", String(link.lag * MSPDI.minutesPerDay * 10))
                xml.element("LagFormat", "7")
                xml.close("PredecessorLink")
            }
            if let kind = task.nsiMilestone {
                xml.open("ExtendedAttribute")
                xml.element("FieldID", String(MSPDI.nsiFieldID))
                xml.element("Value", kind.rawValue)
                xml.close("ExtendedAttribute")
            }
            for (number, baseline) in baselines.enumerated() {
                guard let dates = baseline.tasks[task.id] else { continue }
                xml.open("Baseline")
                xml.element("Number", String(number))
                xml.element("Start", dates.duration == 0 ? finish(dates.start) : start(dates.start))
                xml.element("Finish", finish(dates.finish))
                xml.element("Duration", duration(dates.duration))
                xml.element("DurationFormat", "7")
                xml.close("Baseline")
            }
            xml.close("Task")
        }
        xml.close("Tasks")
    }

    private static func start(_ day: Day) -> String { day.iso + "T08:00:00" }
    private static func finish(_ day: Day) -> String { day.iso + "T17:00:00" }
    private static func duration(_ days: Int) -> String { "PT\(days * MSPDI.minutesPerDay / 60)H0M0S" }
}

/// Indented XML built by appending; text is escaped, and characters XML 1.0 cannot hold dropped.
struct XMLText {
    var text: String
    var level = 0

    init(capacity: Int) {
        text = ""
        text.reserveCapacity(capacity)
    }

    mutating func raw(_ string: String) { text += string }

    mutating func open(_ name: String) {
        indent()
        text += "<\(name)>\n"
        level += 1
    }

    mutating func close(_ name: String) {
        level -= 1
        indent()
        text += "</\(name)>\n"
    }

    mutating func element(_ name: String, _ value: String) {
        indent()
        text += "<\(name)>"
        append(escaped: value)
        text += "</\(name)>\n"
    }

    private mutating func indent() {
        for _ in 0..<level { text += "  " }
    }

    private mutating func append(escaped value: String) {
        // Most values need no escaping; check the bytes before walking the scalars.
        if !value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 }) {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&apos;"
            case "\t", "\n", "\r": text += "&#\(scalar.value);"
            default:
                if scalar.value >= 0x20 { text.unicodeScalars.append(scalar) }
            }
        }
    }
}
