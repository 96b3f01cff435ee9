import Foundation
import WaymarkCore

/// The XER codes and conventions the reader and writer share.
///
/// Mapping: leaf PlanTasks are TASK rows (task_id = id); summary PlanTasks are PROJWBS nodes
/// (wbs_id = id, wbs_short_name = the last WBS segment); durations and lags are hours at the
/// calendar's day_hr_cnt (8); milestones are TT_FinMile; the NSI milestone is a TASK text
/// user-defined field labelled "NSI Milestone" (UDFTYPE/UDFVALUE).
enum XER {
    static let projectID = 1
    static let calendarID = 1
    static let nsiFieldID = 1
    static let nsiLabel = "NSI Milestone"
    static let hoursPerDay = 8

    static func constraintCode(_ kind: ConstraintKind) -> String {
        switch kind {
        case .mustStartOn: "CS_MSO"
        case .startNoEarlierThan: "CS_MSOA"
        case .finishNoLaterThan: "CS_MEOB"
        }
    }

    static func linkCode(_ kind: DependencyKind) -> String { "PR_" + kind.rawValue }

    /// Calendar exception days count from 1899-12-30 (the spreadsheet epoch).
    static let serialOffset = 25_569
}

enum XERWriter {
    static func write(_ plan: ProjectPlan, taskDates: [Int: TaskDates], baselines: [PlanBaseline]) -> Data {
        var xer = XERText(capacity: 2_000 + plan.tasks.count * 400)
        xer.line(["ERMHDR", "19.12", plan.start.iso, "Project", "admin", "Waymark", "dbxDatabaseNoName", "Project Management", "GBP"])

        xer.table("UDFTYPE", ["udf_type_id", "table_name", "udf_type_name", "udf_type_label", "disp_data_flag", "logical_data_type", "super_flag"])
        xer.row([String(XER.nsiFieldID), "TASK", "user_field_\(XER.nsiFieldID)", XER.nsiLabel, "N", "FT_TEXT", "N"])

        let summaries = plan.tasks.filter(\.isSummary)
        let leaves = plan.tasks.filter { !$0.isSummary }
        let rootWBS = (plan.tasks.map(\.id).max() ?? 0) + 1
        let finish = taskDates.values.map(\.finish).max()
        xer.table("PROJECT", ["proj_id", "proj_short_name", "clndr_id", "plan_start_date", "plan_end_date", "last_recalc_date",
                              "def_duration_type", "def_task_type", "def_complete_pct_type", "name_sep_char", "task_code_base",
                              "task_code_step", "project_flag", "export_flag"])
        xer.row([String(XER.projectID), plan.projectCode, String(XER.calendarID), start(plan.start), finish.map(end) ?? "",
                 start(plan.start), "DT_FixedDrtn", "TT_Task", "CP_Drtn", ".", "1000", "10", "Y", "Y"])

        xer.table("CALENDAR", ["clndr_id", "default_flag", "clndr_name", "proj_id", "base_clndr_id", "last_chng_date", "clndr_type",
                               "day_hr_cnt", "week_hr_cnt", "month_hr_cnt", "year_hr_cnt", "rsrc_private", "clndr_data"])
        xer.row([String(XER.calendarID), "Y", plan.calendar.name, String(XER.projectID), "", "", "CA_Project",
                 String(XER.hoursPerDay), String(XER.hoursPerDay * 5), "172", "2000", "N", calendarData(plan.calendar)])

        // The WBS tree: each node hangs under the nearest summary whose WBS prefixes its own.
        let summaryByWBS = Dictionary(summaries.map { ($0.wbs, $0.id) }, uniquingKeysWith: { first, _ in first })
        func parentWBS(of wbs: String) -> Int {
            var prefix = Outline.parent(of: wbs)
            while let candidate = prefix {
                if let id = summaryByWBS[candidate] { return id }
                prefix = Outline.parent(of: candidate)
            }
            return rootWBS
        }
        xer.table("PROJWBS", ["wbs_id", "proj_id", "obs_id", "seq_num", "est_wt", "proj_node_flag", "sum_data_flag", "status_code",
                              "wbs_short_name", "wbs_name", "parent_wbs_id", "anticip_start_date", "anticip_end_date"])
        xer.row([String(rootWBS), String(XER.projectID), "", "0", "1", "Y", "N", "WS_Open", plan.projectCode, plan.projectCode, "", "", ""])
        for (index, summary) in summaries.enumerated() {
            let segment = summary.wbs.split(separator: ".").last.map(String.init) ?? ""
            let dates = taskDates[summary.id]
            xer.row([String(summary.id), String(XER.projectID), "", String(Int(segment) ?? index + 1), "1", "N", "N", "WS_Open",
                     segment.isEmpty ? String(summary.id) : segment, summary.name, String(parentWBS(of: summary.wbs)),
                     dates.map { start($0.start) } ?? "", dates.map { end($0.finish) } ?? ""])
        }

        xer.table("TASK", ["task_id", "proj_id", "wbs_id", "clndr_id", "phys_complete_pct", "complete_pct_type", "task_type",
                           "duration_type", "status_code", "task_code", "task_name", "remain_drtn_hr_cnt", "target_drtn_hr_cnt",
                           "cstr_date", "cstr_type", "target_start_date", "target_end_date", "early_start_date", "early_end_date",
                           "restart_date", "reend_date", "priority_type"])
        // Activity IDs in P6's own style (A1010, A1020, ...) in plan order: P6 and MPXJ list
        // activities by ID, and the reader numbers a WBS node's activities in that order.
        let codeWidth = String(1_000 + 10 * leaves.count).count
        for (position, task) in leaves.enumerated() {
            let number = String(1_000 + 10 * (position + 1))
            let code = "A" + String(repeating: "0", count: codeWidth - number.count) + number
            let hours = String(task.duration * XER.hoursPerDay)
            let dates = taskDates[task.id]
            let from = dates.map { task.isMilestone ? end($0.start) : start($0.start) } ?? ""
            let to = dates.map { end($0.finish) } ?? ""
            let constraintDate = task.constraint.map { $0.kind == .finishNoLaterThan ? end($0.date) : start($0.date) } ?? ""
            xer.row([String(task.id), String(XER.projectID), String(parentWBS(of: task.wbs)), String(XER.calendarID), "0", "CP_Drtn",
                     task.isMilestone ? "TT_FinMile" : "TT_Task", "DT_FixedDrtn", "TK_NotStart", code, task.name, hours, hours,
                     constraintDate, task.constraint.map { XER.constraintCode($0.kind) } ?? "", from, to, from, to, from, to, "PT_Normal"])
        }

        let leafIDs = Set(leaves.map(\.id))
        xer.table("TASKPRED", ["task_pred_id", "task_id", "pred_task_id", "proj_id", "pred_proj_id", "pred_type", "lag_hr_cnt"])
        var predID = 0
        for link in plan.dependencies where isWritable(link, plan: plan, leafIDs: leafIDs) {
            predID += 1
            xer.row([String(predID), String(link.successorID), String(link.predecessor.taskID), String(XER.projectID),
                     String(XER.projectID), XER.linkCode(link.kind), String(link.lag * XER.hoursPerDay)])
        }

        xer.table("UDFVALUE", ["udf_type_id", "fk_id", "proj_id", "udf_text"])
        for task in leaves {
            if let kind = task.nsiMilestone { xer.row([String(XER.nsiFieldID), String(task.id), String(XER.projectID), kind.rawValue]) }
        }
        xer.line(["%E"])
        // P6 and MPXJ read XER as Windows-1252 unless it starts with a UTF-8 byte-order mark.
        let text = Data(xer.text.utf8)
        return text.allSatisfy { $0 < 0x80 } ? text : Data([0xEF, 0xBB, 0xBF]) + text
    }

    static func omissions(_ plan: ProjectPlan, baselines: [PlanBaseline]) -> [ImportNote] {
        var notes: [ImportNote] = []
        if !baselines.isEmpty {
            notes.append(ImportNote(subject: "baselines", message: "P6 keeps baselines as separate projects; \(plural(baselines.count, "baseline")) not written"))
        }
        let leafIDs = Set(plan.tasks.filter { !$0.isSummary }.map(\.id))
        for link in plan.dependencies where !isWritable(link, plan: plan, leafIDs: leafIDs) {
            let reason = link.predecessor.projectCode.map { "is on project \($0)'s task \(link.predecessor.taskID); cross-project links are not written" }
                ?? "involves a summary task, which P6 holds as a WBS node that cannot be linked"
            notes.append(ImportNote(subject: "task \(link.successorID)", message: "the \(link.kind.rawValue) link from task \(link.predecessor.taskID) \(reason)"))
        }
        for task in plan.tasks where task.isSummary && (task.duration != 0 || task.constraint != nil || task.nsiMilestone != nil) {
            notes.append(ImportNote(subject: "task \(task.id)", message: "is a summary, a P6 WBS node, which holds no duration, constraint or NSI milestone; they are not written"))
        }
        return notes
    }

    private static func isWritable(_ link: Dependency, plan: ProjectPlan, leafIDs: Set<Int>) -> Bool {
        let local = link.predecessor.projectCode == nil || link.predecessor.projectCode == plan.projectCode
        return local && leafIDs.contains(link.predecessor.taskID) && leafIDs.contains(link.successorID)
    }

    /// P6's calendar notation: Monday to Friday 08:00-12:00 and 13:00-17:00, with exception days.
    static func calendarData(_ calendar: PlanCalendar) -> String {
        let workingDay = "(0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)())"
        var text = "(0||CalendarData()((0||DaysOfWeek()("
        for day in 1...7 { // 1 is Sunday
            text += day == 1 || day == 7 ? "(0||\(day)()())" : "(0||\(day)()(\(workingDay)))"
        }
        text += "))(0||VIEW(ShowTotal|Y)())(0||Exceptions()("
        var exceptions: [(day: Day, working: Bool)] = EnglishBankHolidays.all
            .filter { !calendar.extraWorkingDays.contains($0) }.map { ($0, false) }
        let bank = Set(EnglishBankHolidays.all)
        exceptions += calendar.extraHolidays.filter { !bank.contains($0) && !calendar.extraWorkingDays.contains($0) }.map { ($0, false) }
        exceptions += calendar.extraWorkingDays.map { ($0, true) }
        for (index, exception) in exceptions.sorted(by: { $0.day < $1.day }).enumerated() {
            text += "(0||\(index)(d|\(exception.day.ordinal + XER.serialOffset))(\(exception.working ? workingDay : "")))"
        }
        return text + "))))"
    }

    private static func start(_ day: Day) -> String { day.iso + " 08:00" }
    private static func end(_ day: Day) -> String { day.iso + " 17:00" }
}

/// XER text: tab-separated, CRLF lines; tabs and line breaks inside values become spaces.
struct XERText {
    var text: String

    init(capacity: Int) {
        text = ""
        text.reserveCapacity(capacity)
    }

    mutating func line(_ values: [String]) {
        text += values.joined(separator: "\t")
        text += "\r\n"
    }

    mutating func table(_ name: String, _ fields: [String]) {
        line(["%T", name])
        line(["%F"] + fields)
    }

    mutating func row(_ values: [String]) {
        text += "%R"
        for value in values {
            text += "\t"
            if value.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                text += value.map { $0 == "\t" || $0.isNewline ? " " : String($0) }.joined()
            } else {
                text += value
            }
        }
        text += "\r\n"
    }
}
