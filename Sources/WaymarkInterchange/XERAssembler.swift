import Foundation
import WaymarkCore

/// Turns XER tables into a plan: one project, its calendar, WBS tree, activities and relationships.
struct XERAssembler {
    let tables: [String: XERTable]
    let projectCode: String
    private var notes = NoteCollector()

    init(tables: [String: XERTable], projectCode: String) {
        self.tables = tables
        self.projectCode = projectCode
    }

    private struct Calendar {
        var line: Int
        var name: String
        var hoursPerDay: Double
        var data: String
    }

    private struct WBSNode {
        var id: Int
        var line: Int
        var parent: Int?
        var shortName: String
        var name: String
        var sequence: Int
        var start: Day?
        var finish: Day?
    }

    mutating func assemble() throws(InterchangeError) -> ImportedPlan {
        guard let projects = tables["PROJECT"], let projectRow = projects.rows.first(where: { projects.value($0, "export_flag") == "Y" }) ?? projects.rows.first else {
            throw InterchangeError(.malformed, .xer, line: tables["PROJECT"]?.line, "the file has no PROJECT rows: it holds no project")
        }
        let projectID = try projects.required(projectRow, "proj_id", what: "the project's id")
        var projectCodes: [Int: String] = [:]
        for row in projects.rows {
            guard let id = try projects.integer(row, "proj_id", what: "a project's id") else { continue }
            projectCodes[id] = projects.value(row, "proj_short_name")
            if id != projectID {
                notes.add("other-project", line: row.line, "PROJECT \(projects.value(row, "proj_short_name"))",
                          "only the first exported project is imported; P6 baselines are separate projects and are not imported")
            }
        }

        let calendars = try readCalendars()
        let projectCalendarID = try projectCalendar(projects, projectRow, calendars)
        let calendar = planCalendar(calendars, projectCalendarID)
        let defaultHours = projectCalendarID.flatMap { calendars[$0]?.hoursPerDay } ?? Double(XER.hoursPerDay)

        var builder = PlanBuilder(format: .xer)
        var taskDates: [Int: TaskDates] = [:]
        var hoursOfTask: [Int: Double] = [:]
        let nodes = try readWBS(projectID: projectID)
        var leaves: [(task: PlanTask, wbsID: Int?, line: Int, code: String)] = []
        if let table = tables["TASK"] {
            for row in table.rows {
                guard try table.integer(row, "proj_id", what: "the activity's project") ?? projectID == projectID else { continue }
                let id = try table.required(row, "task_id", what: "the activity's id")
                let subject = "task_id \(id)"
                var hours = defaultHours
                if let calendarID = try table.integer(row, "clndr_id", what: subject) {
                    guard let found = calendars[calendarID] else {
                        throw InterchangeError(.unknownCalendar, .xer, line: row.line,
                                               "TASK field clndr_id is \(calendarID), which is not a calendar in the file (\(subject))")
                    }
                    hours = found.hoursPerDay
                    if calendarID != projectCalendarID {
                        notes.add("task-calendar", line: row.line, "TASK \(subject)", "has its own calendar '\(found.name)'; Waymark plans use one calendar, the project's")
                    }
                }
                hoursOfTask[id] = hours
                let task = try activity(table, row, id: id, hoursPerDay: hours)
                let wbsID = try table.integer(row, "wbs_id", what: subject)
                if let wbsID, nodes[wbsID] == nil {
                    throw InterchangeError(.missingTask, .xer, line: row.line, "TASK field wbs_id is \(wbsID), which is not a WBS node in the file (\(subject))")
                }
                leaves.append((task, wbsID, row.line, table.value(row, "task_code")))
                let target = (try table.day(row, "target_start_date", what: subject), try table.day(row, "target_end_date", what: subject))
                let early = (try table.day(row, "early_start_date", what: subject), try table.day(row, "early_end_date", what: subject))
                if let start = target.0 ?? early.0, let finish = target.1 ?? early.1 { taskDates[id] = TaskDates(start: start, finish: finish) }
            }
        }

        // Summaries from the WBS; their ids are wbs_ids unless an activity already has that id.
        let taskIDs = Set(leaves.map(\.task.id))
        var nextID = max(taskIDs.max() ?? 0, nodes.keys.max() ?? 0) + 1
        var summaryID: [Int: Int] = [:]
        for node in nodes.values.sorted(by: { $0.line < $1.line }) where node.id != rootID(nodes) {
            if taskIDs.contains(node.id) {
                summaryID[node.id] = nextID
                notes.add(line: node.line, "PROJWBS wbs_id \(node.id)", "shares its id with an activity; the summary task is given id \(nextID)")
                nextID += 1
            } else {
                summaryID[node.id] = node.id
            }
        }
        // Within a WBS node, activities run in activity ID order, as P6 lists them.
        let ordered = leaves.enumerated().sorted { a, b in
            a.element.code == b.element.code ? a.offset < b.offset : Natural.less(a.element.code, b.element.code)
        }.map(\.element)
        let codes = try outline(nodes: nodes, leaves: ordered.map { ($0.task.id, $0.wbsID) })
        for node in nodes.values.sorted(by: { $0.line < $1.line }) {
            guard let id = summaryID[node.id], let wbs = codes.nodes[node.id] else { continue }
            try builder.add(PlanTask(id: id, wbs: wbs, name: node.name, duration: 0, isSummary: true),
                            line: node.line, subject: "PROJWBS wbs_id \(node.id)")
            if let start = node.start, let finish = node.finish { taskDates[id] = TaskDates(start: start, finish: finish) }
        }
        for var leaf in leaves {
            leaf.task.wbs = codes.tasks[leaf.task.id] ?? ""
            try builder.add(leaf.task, line: leaf.line, subject: "TASK task_id \(leaf.task.id)")
        }
        try readLinks(into: &builder, projectID: projectID, projectCodes: projectCodes, hoursOfTask: hoursOfTask, defaultHours: defaultHours)

        var tasks = builder.tasks
        let order = Dictionary(uniqueKeysWithValues: tasks.enumerated().map { ($1.id, $0) })
        tasks.sort { $0.wbs == $1.wbs ? order[$0.id]! < order[$1.id]! : Outline.less($0.wbs, $1.wbs) }
        let start = try projects.day(projectRow, "plan_start_date", what: "the project's start") ?? taskDates.values.map(\.start).min()
        guard let start else {
            throw InterchangeError(.malformed, .xer, line: projectRow.line, "PROJECT has no plan_start_date and no activity has a start date")
        }
        var plan = ProjectPlan(projectCode: projectCode, start: start, tasks: tasks, dependencies: try builder.dependencies(), calendar: calendar.plan)
        if try !readNSI(&plan, projectID: projectID) {
            NSINames.match(&plan, notes: &notes) { "task_id \($0)" }
        }
        let end = taskDates.values.map(\.finish).max() ?? plan.start.adding(days: 365)
        let worked = WorkingCalendar.bankHolidaysWorked(from: plan.start, to: end, nonWorking: calendar.nonWorking)
            .filter { !plan.calendar.extraWorkingDays.contains($0) }
        if !worked.isEmpty {
            notes.add(line: nil, "calendar '\(plan.calendar.name)'",
                      "works \(plural(worked.count, "English bank holiday")) (\(worked.prefix(3).map(\.iso).joined(separator: ", "))\(worked.count > 3 ? ", ..." : "")); Waymark keeps them as holidays, so dates may move")
        }
        noteOtherTables()
        return ImportedPlan(plan: plan, baselines: [], taskDates: taskDates, report: notes.all)
    }
}

extension XERAssembler {
    // MARK: - Calendars

    private func readCalendars() throws(InterchangeError) -> [Int: Calendar] {
        guard let table = tables["CALENDAR"] else { return [:] }
        var calendars: [Int: Calendar] = [:]
        for row in table.rows {
            let id = try table.required(row, "clndr_id", what: "a calendar's id")
            if let first = calendars[id] {
                throw InterchangeError(.duplicateID, .xer, line: row.line, "CALENDAR repeats clndr_id \(id), already used on line \(first.line)")
            }
            let hours = try table.number(row, "day_hr_cnt", what: "calendar \(id)") ?? Double(XER.hoursPerDay)
            guard hours > 0, hours <= 24 else {
                throw InterchangeError(.invalidValue, .xer, line: row.line, "CALENDAR field day_hr_cnt is \(table.value(row, "day_hr_cnt")); it must be more than 0 and at most 24 (calendar \(id))")
            }
            calendars[id] = Calendar(line: row.line, name: table.value(row, "clndr_name"), hoursPerDay: hours, data: table.value(row, "clndr_data"))
        }
        return calendars
    }

    /// The project's calendar: its clndr_id, else the default calendar, else the one most activities use.
    private func projectCalendar(_ projects: XERTable, _ row: XERRow, _ calendars: [Int: Calendar]) throws(InterchangeError) -> Int? {
        if let id = try projects.integer(row, "clndr_id", what: "the project's calendar") {
            guard calendars[id] != nil else {
                throw InterchangeError(.unknownCalendar, .xer, line: row.line, "PROJECT field clndr_id is \(id), which is not a calendar in the file")
            }
            return id
        }
        if let table = tables["CALENDAR"], let row = table.rows.first(where: { table.value($0, "default_flag") == "Y" }) {
            return Int(table.value(row, "clndr_id"))
        }
        guard let tasks = tables["TASK"] else { return calendars.keys.min() }
        var uses: [Int: Int] = [:]
        for row in tasks.rows { if let id = Int(tasks.value(row, "clndr_id")) { uses[id, default: 0] += 1 } }
        return uses.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key ?? calendars.keys.min()
    }

    private mutating func planCalendar(_ calendars: [Int: Calendar], _ id: Int?) -> (plan: PlanCalendar, nonWorking: Set<Day>) {
        guard let id, let calendar = calendars[id] else {
            notes.add(line: nil, "CALENDAR", "the file has no calendar for the project; the England and Wales calendar is used")
            return (PlanCalendar(), [])
        }
        let name = calendar.name.isEmpty ? "Calendar \(id)" : calendar.name
        let subject = "CALENDAR '\(name)'"
        guard let data = XERCalendarData(calendar.data) else {
            notes.add(line: calendar.line, subject, "its clndr_data could not be read; Monday to Friday with no exceptions is assumed")
            return (PlanCalendar(name: name), [])
        }
        let dayMinutes = Int(calendar.hoursPerDay * 60)
        let dayNames = ["", "Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"]
        for day in 1...7 {
            guard let minutes = data.weekMinutes[day] else { continue }
            let weekend = day == 1 || day == 7
            if weekend && minutes > 0 {
                notes.add(line: calendar.line, subject, "works \(dayNames[day]); Waymark calendars do not, so weekend work is not carried")
            } else if !weekend && minutes == 0 {
                notes.add(line: calendar.line, subject, "does not work \(dayNames[day]); Waymark calendars do, so this is not carried")
            } else if !weekend && minutes != dayMinutes {
                notes.add("weekday-hours", line: calendar.line, subject,
                          "works \(Rounding.hours(Double(minutes) / 60)) hours on \(dayNames[day]) against a \(Rounding.hours(calendar.hoursPerDay))-hour day; Waymark counts whole days")
            }
        }
        var nonWorking: Set<Day> = []
        var working: Set<Day> = []
        for exception in data.exceptions {
            if exception.minutes > 0 {
                working.insert(exception.day)
                nonWorking.remove(exception.day)
                if exception.minutes != dayMinutes {
                    notes.add("partial-exception", line: calendar.line, subject,
                              "the working exception on \(exception.day.iso) has \(Rounding.hours(Double(exception.minutes) / 60)) hours; Waymark counts it as a whole working day")
                }
            } else {
                nonWorking.insert(exception.day)
                working.remove(exception.day)
            }
        }
        let bank = Set(EnglishBankHolidays.all)
        return (PlanCalendar(name: name, extraHolidays: nonWorking.filter { !$0.isWeekend && !bank.contains($0) },
                             extraWorkingDays: working.filter { $0.isWeekend || bank.contains($0) }), nonWorking)
    }

    // MARK: - WBS

    private func readWBS(projectID: Int) throws(InterchangeError) -> [Int: WBSNode] {
        guard let table = tables["PROJWBS"] else { return [:] }
        var nodes: [Int: WBSNode] = [:]
        for row in table.rows {
            guard try table.integer(row, "proj_id", what: "a WBS node's project") ?? projectID == projectID else { continue }
            let id = try table.required(row, "wbs_id", what: "a WBS node's id")
            if let first = nodes[id] {
                throw InterchangeError(.duplicateID, .xer, line: row.line, "PROJWBS repeats wbs_id \(id), already used on line \(first.line)")
            }
            let isRoot = table.value(row, "proj_node_flag") == "Y"
            let subject = "wbs_id \(id)"
            nodes[id] = WBSNode(id: id, line: row.line, parent: isRoot ? nil : try table.integer(row, "parent_wbs_id", what: subject),
                                shortName: table.value(row, "wbs_short_name"), name: table.value(row, "wbs_name"),
                                sequence: try table.integer(row, "seq_num", what: subject) ?? 0,
                                start: try table.day(row, "anticip_start_date", what: subject),
                                finish: try table.day(row, "anticip_end_date", what: subject))
            if isRoot { nodes[id]!.sequence = Int.min }
        }
        for node in nodes.values {
            if let parent = node.parent, nodes[parent] == nil {
                throw InterchangeError(.missingTask, .xer, line: node.line, "PROJWBS field parent_wbs_id is \(parent), which is not a WBS node in the file (wbs_id \(node.id))")
            }
        }
        return nodes
    }

    private func rootID(_ nodes: [Int: WBSNode]) -> Int? {
        nodes.values.first { $0.sequence == Int.min }?.id
    }

    /// Outline numbers. Where sibling WBS codes are distinct numbers they are kept (so a file
    /// Waymark wrote reads back as written) and activities fill the gaps in file order;
    /// otherwise activities come first, then the WBS nodes in seq_num order.
    private func outline(nodes: [Int: WBSNode], leaves: [(id: Int, wbsID: Int?)]) throws(InterchangeError) -> (nodes: [Int: String], tasks: [Int: String]) {
        let root = rootID(nodes)
        var childNodes: [Int?: [WBSNode]] = [:]
        for node in nodes.values where node.id != root {
            childNodes[node.parent == root ? nil : node.parent, default: []].append(node)
        }
        var childTasks: [Int?: [Int]] = [:]
        for leaf in leaves { childTasks[leaf.wbsID == root ? nil : leaf.wbsID, default: []].append(leaf.id) }

        var nodeCodes: [Int: String] = [:]
        var taskCodes: [Int: String] = [:]
        var pending: [(parent: Int?, prefix: String)] = [(nil, "")]
        while let (parent, prefix) = pending.popLast() {
            let siblings = (childNodes[parent] ?? []).sorted { ($0.sequence, $0.line) < ($1.sequence, $1.line) }
            let tasks = childTasks[parent] ?? []
            let numbers = siblings.compactMap { Int($0.shortName) }.filter { $0 > 0 }
            var positions: [Int] = []
            var taskPositions: [Int] = []
            if numbers.count == siblings.count, Set(numbers).count == numbers.count {
                positions = numbers
                let used = Set(numbers)
                var next = 1
                for _ in tasks {
                    while used.contains(next) { next += 1 }
                    taskPositions.append(next)
                    next += 1
                }
            } else {
                taskPositions = tasks.indices.map { $0 + 1 }
                positions = siblings.indices.map { tasks.count + $0 + 1 }
            }
            func code(_ position: Int) -> String { prefix.isEmpty ? String(position) : "\(prefix).\(position)" }
            for (task, position) in zip(tasks, taskPositions) { taskCodes[task] = code(position) }
            for (node, position) in zip(siblings, positions) {
                nodeCodes[node.id] = code(position)
                pending.append((node.id, code(position)))
            }
        }
        if let lost = nodes.values.first(where: { $0.id != root && nodeCodes[$0.id] == nil }) {
            throw InterchangeError(.malformed, .xer, line: lost.line, "PROJWBS wbs_id \(lost.id) is not under the project node: its parent_wbs_id chain loops")
        }
        return (nodeCodes, taskCodes)
    }

    // MARK: - Activities and relationships

    private mutating func activity(_ table: XERTable, _ row: XERRow, id: Int, hoursPerDay: Double) throws(InterchangeError) -> PlanTask {
        let subject = "task_id \(id)"
        let hours = try table.number(row, "target_drtn_hr_cnt", what: subject) ?? 0
        guard hours >= 0 else {
            throw InterchangeError(.negativeDuration, .xer, line: row.line, "TASK field target_drtn_hr_cnt is \(table.value(row, "target_drtn_hr_cnt")), a negative duration (\(subject))")
        }
        var (days, exact) = try Rounding.durationDays(hours, per: hoursPerDay, tooLong: InterchangeError(
            .invalidValue, .xer, line: row.line, "TASK field target_drtn_hr_cnt is \(table.value(row, "target_drtn_hr_cnt")), more than \(Rounding.maximumDays) working days (\(subject))"))
        if !exact {
            notes.add("hour-duration", line: row.line, "TASK \(subject)", "lasts \(Rounding.hours(hours)) hours, rounded up to \(plural(days, "working day"))")
        }
        let type = table.value(row, "task_type")
        switch type {
        case "TT_Mile", "TT_FinMile":
            if days != 0 { notes.add(line: row.line, "TASK \(subject)", "is a milestone with a duration of \(Rounding.hours(hours)) hours; imported with none") }
            days = 0
        case "", "TT_Task", "TT_Rsrc": break
        case "TT_LOE": notes.add("loe", line: row.line, "TASK \(subject)", "is a level-of-effort activity, imported as an ordinary task")
        case "TT_WBS": notes.add("wbs-summary", line: row.line, "TASK \(subject)", "is a WBS summary activity, imported as an ordinary task")
        default: notes.add(line: row.line, "TASK \(subject)", "has task_type \(type), imported as an ordinary task")
        }
        var constraint: TaskConstraint?
        let code = table.value(row, "cstr_type")
        let kinds: [String: ConstraintKind] = ["CS_MSO": .mustStartOn, "CS_MSOA": .startNoEarlierThan, "CS_MEOB": .finishNoLaterThan]
        if !code.isEmpty {
            if let kind = kinds[code] {
                guard let date = try table.day(row, "cstr_date", what: subject) else {
                    throw InterchangeError(.malformed, .xer, line: row.line, "TASK has cstr_type \(code) but no cstr_date (\(subject))")
                }
                constraint = TaskConstraint(kind, date)
            } else {
                notes.add("constraint-\(code)", line: row.line, "TASK \(subject)",
                          "the constraint \(code) is not supported (only CS_MSO, CS_MSOA and CS_MEOB are); imported without it")
            }
        }
        if !table.value(row, "cstr_type2").isEmpty {
            notes.add("constraint2", line: row.line, "TASK \(subject)", "secondary constraints are not imported")
        }
        if !table.value(row, "act_start_date").isEmpty {
            notes.add("progress", line: row.line, "TASK \(subject)", "actual dates (progress) are not imported")
        }
        return PlanTask(id: id, wbs: "", name: table.value(row, "task_name"), duration: days, constraint: constraint)
    }

    private mutating func readLinks(into builder: inout PlanBuilder, projectID: Int, projectCodes: [Int: String],
                                    hoursOfTask: [Int: Double], defaultHours: Double) throws(InterchangeError) {
        guard let table = tables["TASKPRED"] else { return }
        let kinds: [String: DependencyKind] = ["PR_FS": .finishToStart, "PR_SS": .startToStart, "PR_FF": .finishToFinish, "PR_SF": .startToFinish]
        for row in table.rows {
            let successor = try table.required(row, "task_id", what: "a relationship's successor")
            let predecessor = try table.required(row, "pred_task_id", what: "a relationship's predecessor")
            let subject = "task_id \(successor)"
            // Relationships within other projects in the file are theirs, not ours.
            let owner = try table.integer(row, "proj_id", what: subject)
            if let owner, owner != projectID { continue }
            let type = table.value(row, "pred_type")
            guard let kind = type.isEmpty ? .finishToStart : kinds[type] else {
                throw InterchangeError(.invalidValue, .xer, line: row.line, "TASKPRED field pred_type is '\(type)'; it must be PR_FS, PR_SS, PR_FF or PR_SF (\(subject))")
            }
            var reference = TaskReference(taskID: predecessor)
            if let other = try table.integer(row, "pred_proj_id", what: subject), other != projectID {
                guard let code = projectCodes[other] else {
                    throw InterchangeError(.missingTask, .xer, line: row.line,
                                           "TASKPRED field pred_proj_id is \(other), a project not in the file (\(subject) depends on its task \(predecessor))")
                }
                reference = TaskReference(projectCode: code, taskID: predecessor)
            }
            let hours = try table.number(row, "lag_hr_cnt", what: subject) ?? 0
            let perDay = hoursOfTask[predecessor] ?? defaultHours
            let (lag, exact) = try Rounding.lagDays(hours, per: perDay, tooLong: InterchangeError(
                .invalidValue, .xer, line: row.line, "TASKPRED field lag_hr_cnt is \(table.value(row, "lag_hr_cnt")), more than \(Rounding.maximumDays) working days (\(subject))"))
            if !exact {
                notes.add("hour-lag", line: row.line, "TASKPRED \(subject)", "a lag of \(Rounding.hours(hours)) hours is rounded to \(plural(lag, "working day"))")
            }
            builder.link(Dependency(predecessor: reference, successorID: successor, kind: kind, lag: lag),
                         line: row.line, subject: "TASKPRED \(subject)")
        }
    }

    /// NSI milestones from the TASK text field labelled "NSI Milestone"; false when there is none.
    private mutating func readNSI(_ plan: inout ProjectPlan, projectID: Int) throws(InterchangeError) -> Bool {
        guard let types = tables["UDFTYPE"] else { return false }
        let ids = Set(types.rows.filter {
            types.value($0, "table_name") == "TASK" && types.value($0, "udf_type_label").lowercased() == XER.nsiLabel.lowercased()
        }.compactMap { Int(types.value($0, "udf_type_id")) })
        guard !ids.isEmpty else { return false }
        guard let values = tables["UDFVALUE"] else { return true }
        let index = Dictionary(uniqueKeysWithValues: plan.tasks.enumerated().filter { !$1.isSummary }.map { ($1.id, $0) })
        for row in values.rows {
            guard let type = try values.integer(row, "udf_type_id", what: "a user field value"), ids.contains(type) else { continue }
            let task = try values.required(row, "fk_id", what: "the activity an NSI Milestone value belongs to")
            guard let position = index[task] else { continue }
            let text = values.value(row, "udf_text")
            if let kind = Text.nsiMilestone(text) {
                plan.tasks[position].nsiMilestone = kind
            } else if !text.isEmpty {
                notes.add(line: row.line, "UDFVALUE task_id \(task)", "'\(text)' in \(XER.nsiLabel) is not an NSI milestone; ignored")
            }
        }
        return true
    }

    private mutating func noteOtherTables() {
        let meanings = [
            "RSRC": "resources", "TASKRSRC": "resource assignments", "RSRCRATE": "resource rates", "ROLES": "roles",
            "PROJCOST": "expenses (costs)", "ACCOUNT": "cost accounts", "ACTVTYPE": "activity code types", "ACTVCODE": "activity codes",
            "TASKACTV": "activity code assignments", "TASKMEMO": "activity notebooks", "TASKPROC": "activity steps",
            "PROJRISK": "risks", "ISSUHIST": "issues", "TASKDOC": "work products and documents", "TASKFIN": "financial periods",
            "TRSRCFIN": "resource financial periods", "RSRCCURV": "resource curves",
        ]
        for name in tables.keys.sorted() {
            guard let meaning = meanings[name], let table = tables[name], !table.rows.isEmpty else { continue }
            notes.add(line: table.line, "table \(name)", "\(meaning) are not imported (\(plural(table.rows.count, "row")))")
        }
    }
}

/// Orders "A1010" before "A10000" and "A2" before "A10": digit runs compare as numbers.
enum Natural {
    static func less(_ a: String, _ b: String) -> Bool {
        let left = runs(a), right = runs(b)
        for (x, y) in zip(left, right) where x != y {
            if let m = Int(x), let n = Int(y) { return m != n ? m < n : x < y }
            return x < y
        }
        return left.count < right.count
    }

    private static func runs(_ text: String) -> [Substring] {
        var runs: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if next < text.endIndex, text[index].isASCIIDigitCharacter != text[next].isASCIIDigitCharacter {
                runs.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < text.endIndex { runs.append(text[start...]) }
        return runs
    }
}
