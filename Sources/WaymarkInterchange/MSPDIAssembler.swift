import Foundation
import WaymarkCore

/// Turns what the MSPDI parser collected into a plan, checking references and noting losses.
struct MSPDIAssembler {
    let file: MSPDIFile
    let projectCode: String
    private var notes = NoteCollector()
    private var minutesPerDay = Double(MSPDI.minutesPerDay)

    init(file: MSPDIFile, projectCode: String) {
        self.file = file
        self.projectCode = projectCode
    }

    mutating func assemble() throws(InterchangeError) -> ImportedPlan {
        if let minutes = file.minutesPerDay {
            guard minutes > 0 else {
                throw InterchangeError(.invalidValue, .mspdi, line: file.minutesPerDayLine, "<MinutesPerDay> is \(minutes); it must be positive")
            }
            minutesPerDay = Double(minutes)
        }
        let calendars = try calendarsByUID()
        let (calendar, projectCalendarUID, nonWorking) = try projectCalendar(calendars)

        var builder = PlanBuilder(format: .mspdi)
        var taskDates: [Int: TaskDates] = [:]
        var baselineTasks: [Int: [Int: BaselineDates]] = [:]
        let nsi = nsiFields()
        var foundNSI = false
        for raw in file.tasks {
            if raw.isNull || raw.external || raw.outlineLevel == 0 {
                if raw.external { notes.add("external", line: raw.line, raw.subject, "external (cross-project) placeholder tasks are not imported; links to them are kept as links to the other project") }
                continue
            }
            guard let uid = raw.uid else {
                throw InterchangeError(.malformed, .mspdi, line: raw.line, "<Task> has no <UID>")
            }
            if let calendarUID = raw.calendarUID, calendarUID != -1 {
                guard calendars[calendarUID] != nil else {
                    throw InterchangeError(.unknownCalendar, .mspdi, line: raw.calendarLine,
                                           "<CalendarUID> of \(raw.subject) is \(calendarUID), which is not a calendar in the file")
                }
                if calendarUID != projectCalendarUID {
                    notes.add("task-calendar", line: raw.calendarLine, raw.subject,
                              "has its own calendar '\(calendars[calendarUID]!.name)'; Waymark plans use one calendar, the project's")
                }
            }
            var task = PlanTask(id: uid, wbs: raw.outlineNumber ?? raw.wbs ?? "", name: raw.name,
                                duration: try duration(raw), isSummary: raw.summary,
                                constraint: constraint(raw))
            if raw.milestone && task.duration > 0 && !raw.summary {
                notes.add("milestone-duration", line: raw.line, raw.subject,
                          "is flagged as a milestone but lasts \(plural(task.duration, "day")); Waymark treats only zero-length tasks as milestones")
            }
            for field in raw.customFields where nsi.ids.contains(field.fieldID) {
                if let kind = Text.nsiMilestone(field.value) {
                    task.nsiMilestone = kind
                    foundNSI = true
                } else if nsi.aliased, !field.value.isEmpty {
                    notes.add(line: field.line, raw.subject, "'\(field.value)' in \(MSPDI.nsiAlias) is not an NSI milestone; ignored")
                }
            }
            for (element, line) in raw.unsupported {
                notes.add("task-\(element)", line: line, raw.subject, Self.unsupportedMessage(element))
            }
            if let start = raw.start, let finish = raw.finish { taskDates[uid] = TaskDates(start: start, finish: finish) }
            for baseline in raw.baselines {
                guard let number = baseline.number, (0...10).contains(number) else {
                    notes.add("baseline-number", line: baseline.line, raw.subject, "a baseline without a Number from 0 to 10 is ignored")
                    continue
                }
                guard let start = baseline.start, let finish = baseline.finish else { continue }
                let days = try baseline.durationMinutes.map { minutes throws(InterchangeError) in
                    try Rounding.durationDays(minutes, per: minutesPerDay, tooLong: Self.tooLong(baseline.line, "a baseline <Duration> of \(raw.subject)")).days
                } ?? task.duration
                baselineTasks[number, default: [:]][uid] = BaselineDates(start: start, finish: finish, duration: days)
            }
            try builder.add(task, line: raw.line, subject: raw.subject)
            for link in raw.links {
                builder.link(try dependency(link, successor: uid, subject: raw.subject), line: link.line, subject: raw.subject)
            }
        }
        var plan = ProjectPlan(projectCode: projectCode, start: try planStart(taskDates), tasks: builder.tasks,
                               dependencies: try builder.dependencies(), calendar: calendar)
        if !foundNSI { NSINames.match(&plan, notes: &notes) { "task UID \($0)" } }
        noteBankHolidays(plan: plan, taskDates: taskDates, nonWorking: nonWorking)
        if file.resources > 0 {
            notes.add(line: file.resourceLine, "Resources", "\(plural(file.resources, "resource")) not imported; Waymark plans hold no resources")
        }
        if file.assignments > 0 {
            notes.add(line: file.assignmentLine, "Assignments", "\(plural(file.assignments, "resource assignment")) not imported")
        }
        let baselines = baselineTasks.keys.sorted().map { number in
            PlanBaseline(name: MSPDI.baselineName(number), savedAt: "", tasks: baselineTasks[number]!)
        }
        if !baselines.isEmpty {
            notes.add(line: nil, "baselines", "MS Project XML holds no baseline names or save times; baselines are named as in MS Project")
        }
        return ImportedPlan(plan: plan, baselines: baselines, taskDates: taskDates, report: notes.all)
    }
}

extension MSPDIAssembler {
    // MARK: - Calendars

    private func calendarsByUID() throws(InterchangeError) -> [Int: MSPDIFile.Calendar] {
        var calendars: [Int: MSPDIFile.Calendar] = [:]
        for calendar in file.calendars {
            guard let uid = calendar.uid else {
                throw InterchangeError(.malformed, .mspdi, line: calendar.line, "<Calendar> has no <UID>")
            }
            if let first = calendars[uid] {
                throw InterchangeError(.duplicateID, .mspdi, line: calendar.line,
                                       "<Calendar> repeats UID \(uid), already used by the calendar on line \(first.line)")
            }
            calendars[uid] = calendar
        }
        return calendars
    }

    /// The project's calendar as a Waymark calendar, its UID, and every day the file keeps free.
    private mutating func projectCalendar(_ calendars: [Int: MSPDIFile.Calendar]) throws(InterchangeError)
        -> (PlanCalendar, Int?, Set<Day>) {
        let chosen: MSPDIFile.Calendar
        if let uid = file.calendarUID {
            guard let calendar = calendars[uid] else {
                throw InterchangeError(.unknownCalendar, .mspdi, line: file.calendarLine,
                                       "the project's <CalendarUID> is \(uid), which is not a calendar in the file")
            }
            chosen = calendar
        } else if let calendar = file.calendars.first(where: { ($0.baseUID ?? -1) == -1 }) ?? file.calendars.first {
            chosen = calendar
        } else {
            notes.add(line: nil, "Calendars", "the file has no calendar; the England and Wales calendar is used")
            return (PlanCalendar(), nil, [])
        }
        // Derived calendars inherit from their base: child first.
        var chain = [chosen]
        var seen: Set<Int> = [chosen.uid!]
        while let base = chain.last!.baseUID, base != -1 {
            guard let next = calendars[base] else {
                throw InterchangeError(.unknownCalendar, .mspdi, line: chain.last!.baseLine,
                                       "<BaseCalendarUID> of calendar '\(chain.last!.name)' is \(base), which is not a calendar in the file")
            }
            guard seen.insert(base).inserted else { break }
            chain.append(next)
        }
        let name = chosen.name.isEmpty ? "Calendar \(chosen.uid!)" : chosen.name
        noteWeekPattern(chain, name: name)

        var nonWorking: Set<Day> = []
        var working: Set<Day> = []
        for calendar in chain.reversed() {
            if calendar.hasWorkWeeks {
                notes.add(line: calendar.line, "calendar '\(name)'", "work weeks (alternative weekly patterns) are not carried; Waymark works Monday to Friday")
            }
            var exceptions = calendar.exceptions
            // MS Project 2003 wrote exceptions as WeekDay entries of DayType 0.
            for day in calendar.weekDays where day.dayType == 0 {
                exceptions.append(.init(line: day.line, from: day.from, to: day.to, type: 1, working: day.working, minutes: day.minutes))
            }
            for exception in exceptions {
                guard exception.type == nil || exception.type == 1 else {
                    notes.add("recurring-exception", line: exception.line, "calendar '\(name)'",
                              "the recurring exception '\(exception.name)' is not carried; only exceptions for given days are")
                    continue
                }
                guard let from = exception.from, let to = exception.to ?? exception.from, from <= to else { continue }
                guard to.ordinal - from.ordinal <= 3660 else {
                    notes.add(line: exception.line, "calendar '\(name)'", "the exception '\(exception.name)' spans more than ten years and is not carried")
                    continue
                }
                if exception.working, exception.minutes > 0, Double(exception.minutes) != minutesPerDay {
                    notes.add("partial-exception", line: exception.line, "calendar '\(name)'",
                              "the working exception '\(exception.name)' has \(Rounding.hours(Double(exception.minutes) / 60)) working hours; Waymark counts it as a whole working day")
                }
                for ordinal in from.ordinal...to.ordinal {
                    let day = Day(ordinal: ordinal)
                    if exception.working {
                        working.insert(day)
                        nonWorking.remove(day)
                    } else {
                        nonWorking.insert(day)
                        working.remove(day)
                    }
                }
            }
        }
        let bank = Set(EnglishBankHolidays.all)
        let plan = PlanCalendar(name: name,
                                extraHolidays: nonWorking.filter { !$0.isWeekend && !bank.contains($0) },
                                extraWorkingDays: working.filter { $0.isWeekend || bank.contains($0) })
        return (plan, chosen.uid, nonWorking)
    }

    private mutating func noteWeekPattern(_ chain: [MSPDIFile.Calendar], name: String) {
        let dayNames = ["", "Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"]
        for dayType in 1...7 {
            guard let day = chain.lazy.compactMap({ $0.weekDays.first { $0.dayType == dayType } }).first else { continue }
            let weekend = dayType == 1 || dayType == 7
            if weekend && day.working {
                notes.add(line: day.line, "calendar '\(name)'", "works \(dayNames[dayType]); Waymark calendars do not, so weekend work is not carried")
            } else if !weekend && !day.working {
                notes.add(line: day.line, "calendar '\(name)'", "does not work \(dayNames[dayType]); Waymark calendars do, so this is not carried")
            } else if !weekend && day.minutes > 0 && Double(day.minutes) != minutesPerDay {
                notes.add("weekday-hours", line: day.line, "calendar '\(name)'",
                          "works \(Rounding.hours(Double(day.minutes) / 60)) hours on \(dayNames[dayType]) against a \(Rounding.hours(minutesPerDay / 60))-hour day; Waymark counts whole days")
            }
        }
    }

    private mutating func noteBankHolidays(plan: ProjectPlan, taskDates: [Int: TaskDates], nonWorking: Set<Day>) {
        let end = taskDates.values.map(\.finish).max() ?? plan.start.adding(days: 365)
        let worked = WorkingCalendar.bankHolidaysWorked(from: plan.start, to: end, nonWorking: nonWorking)
            .filter { !plan.calendar.extraWorkingDays.contains($0) }
        guard !worked.isEmpty else { return }
        let list = worked.prefix(3).map(\.iso).joined(separator: ", ") + (worked.count > 3 ? ", ..." : "")
        notes.add(line: nil, "calendar '\(plan.calendar.name)'",
                  "works \(plural(worked.count, "English bank holiday")) (\(list)); Waymark keeps them as holidays, so dates may move")
    }

    // MARK: - Tasks

    private static func tooLong(_ line: Int, _ what: String) -> InterchangeError {
        InterchangeError(.invalidValue, .mspdi, line: line, "\(what) is more than \(Rounding.maximumDays) working days")
    }

    private mutating func duration(_ raw: MSPDIFile.Task) throws(InterchangeError) -> Int {
        // Elapsed formats (em, eh, ed, ew, emo, e% and their estimated forms) run round the clock.
        let elapsed = [4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52].contains(raw.durationFormat ?? 7)
        let (days, exact) = try Rounding.durationDays(raw.durationMinutes, per: elapsed ? 1440 : minutesPerDay,
                                                      tooLong: Self.tooLong(raw.durationLine, "<Duration> of \(raw.subject)"))
        if elapsed {
            notes.add("elapsed-duration", line: raw.durationLine, raw.subject,
                      "has an elapsed duration of \(plural(days, "day")), imported as \(plural(days, "working day"))")
        } else if !exact {
            notes.add("hour-duration", line: raw.durationLine, raw.subject,
                      "lasts \(Rounding.hours(raw.durationMinutes / 60)) hours, rounded up to \(plural(days, "working day"))")
        }
        return days
    }

    private mutating func constraint(_ raw: MSPDIFile.Task) -> TaskConstraint? {
        let kinds: [Int: ConstraintKind] = [2: .mustStartOn, 4: .startNoEarlierThan, 7: .finishNoLaterThan]
        let names = [1: "As Late As Possible", 3: "Must Finish On", 5: "Start No Later Than", 6: "Finish No Earlier Than"]
        guard raw.constraintType != 0 else { return nil }
        guard let kind = kinds[raw.constraintType] else {
            let name = names[raw.constraintType] ?? "type \(raw.constraintType)"
            notes.add("constraint-\(raw.constraintType)", line: raw.constraintLine, raw.subject,
                      "the constraint \(name) is not supported (only SNET, FNLT and MSO are); the task is imported without it")
            return nil
        }
        guard let date = raw.constraintDate else {
            notes.add(line: raw.constraintLine, raw.subject, "the \(kind.rawValue) constraint has no ConstraintDate; ignored")
            return nil
        }
        return TaskConstraint(kind, date)
    }

    private mutating func dependency(_ link: MSPDIFile.Link, successor: Int, subject: String) throws(InterchangeError) -> Dependency {
        let kinds: [Int: DependencyKind] = [0: .finishToFinish, 1: .finishToStart, 2: .startToFinish, 3: .startToStart]
        guard let kind = kinds[link.type] else {
            throw InterchangeError(.invalidValue, .mspdi, line: link.line,
                                   "<PredecessorLink>/<Type> of \(subject) is \(link.type); it must be 0 (FF), 1 (FS), 2 (SF) or 3 (SS)")
        }
        guard let uid = link.predecessorUID else {
            throw InterchangeError(.malformed, .mspdi, line: link.line, "<PredecessorLink> of \(subject) has no <PredecessorUID>")
        }
        var predecessor = TaskReference(taskID: uid)
        if link.crossProject {
            // "<project>\<task id>"; MS Project writes a file path for the project.
            guard let name = link.crossProjectName, let cut = name.lastIndex(of: "\\"),
                  let id = Int(name[name.index(after: cut)...]) else {
                throw InterchangeError(.invalidValue, .mspdi, line: link.line,
                                       "<CrossProjectName> of \(subject) is '\(link.crossProjectName ?? "")', not '<project>\\<task id>'")
            }
            var project = String(name[..<cut])
            if let slash = project.lastIndex(where: { $0 == "\\" || $0 == "/" }) { project = String(project[project.index(after: slash)...]) }
            for suffix in [".mpp", ".xml"] where project.lowercased().hasSuffix(suffix) {
                project = String(project.dropLast(suffix.count))
                notes.add("cross-project-path", line: link.line, subject, "the link to another project's file '\(name)' is kept as a link to project '\(project)'")
            }
            predecessor = TaskReference(projectCode: project, taskID: id)
        }
        let lag: Int
        switch link.lagFormat {
        case 19, 20, 51, 52:
            notes.add("percent-lag", line: link.line, subject, "a lag given as a percentage of the predecessor is not supported; imported as no lag")
            lag = 0
        case 4, 6, 8, 10, 12, 36, 38, 40, 42, 44:
            lag = try Rounding.lagDays(link.lag / 10, per: 1440, tooLong: Self.tooLong(link.line, "<LinkLag> of \(subject)")).days
            notes.add("elapsed-lag", line: link.line, subject, "an elapsed lag of \(plural(lag, "day")) is imported as \(plural(lag, "working day"))")
        default:
            let (days, exact) = try Rounding.lagDays(link.lag / 10, per: minutesPerDay, tooLong: Self.tooLong(link.line, "<LinkLag> of \(subject)"))
            if !exact {
                notes.add("hour-lag", line: link.line, subject,
                          "a lag of \(Rounding.hours(link.lag / 600)) hours is rounded to \(plural(days, "working day"))")
            }
            lag = days
        }
        return Dependency(predecessor: predecessor, successorID: successor, kind: kind, lag: lag)
    }

    /// The field holding NSI milestones: the one aliased "NSI Milestone", else Text30.
    private func nsiFields() -> (ids: Set<Int>, aliased: Bool) {
        let aliased = file.fieldAliases.filter { $0.alias.trimmed.lowercased() == MSPDI.nsiAlias.lowercased() }
        return aliased.isEmpty ? ([MSPDI.nsiFieldID], false) : (Set(aliased.map(\.fieldID)), true)
    }

    private func planStart(_ taskDates: [Int: TaskDates]) throws(InterchangeError) -> Day {
        if let start = file.startDate { return start }
        if let start = taskDates.values.map(\.start).min() { return start }
        throw InterchangeError(.malformed, .mspdi, line: nil, "the project has no <StartDate> and no task has a <Start>")
    }

    private static func unsupportedMessage(_ element: String) -> String {
        switch element {
        case "Cost", "FixedCost", "ActualCost": "costs are not imported"
        case "Work", "ActualWork": "work (effort) is not imported"
        case "Deadline": "deadlines are not imported"
        case "Hyperlink": "hyperlinks are not imported"
        case "Notes": "task notes are not imported"
        case "Manual": "manually scheduled tasks are imported as automatically scheduled"
        case "Recurring": "recurring tasks are imported as single tasks"
        case "Active": "inactive tasks are imported as active"
        case "PercentComplete": "progress (percent complete) is not imported"
        default: "<\(element)> is not imported"
        }
    }
}
