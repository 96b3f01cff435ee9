import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

@Suite struct XERTests {
    var plan: ProjectPlan {
        var plan = Sample.plan
        plan.dependencies = Sample.localLinks
        return plan
    }

    /// Rows of one table as field-name dictionaries.
    func rows(_ table: String, in text: String) -> [[String: String]] {
        var current = "", fields: [String] = [], rows: [[String: String]] = []
        for line in text.components(separatedBy: "\r\n") {
            let cells = line.components(separatedBy: "\t")
            switch cells[0] {
            case "%T": current = cells[1]
            case "%F": fields = Array(cells.dropFirst())
            case "%R" where current == table: rows.append(Dictionary(uniqueKeysWithValues: zip(fields, cells.dropFirst())))
            default: break
            }
        }
        return rows
    }

    @Test func writesP6Codes() throws {
        let text = Sample.text(PlanWriter.write(plan, format: .xer, taskDates: Sample.dates))
        #expect(text.hasPrefix("ERMHDR\t19.12\t"))
        #expect(text.hasSuffix("%E\r\n"))
        let tasks = Dictionary(uniqueKeysWithValues: rows("TASK", in: text).map { (Int($0["task_id"]!)!, $0) })
        #expect(tasks.count == 13) // summaries are WBS nodes, not activities
        #expect(tasks[3]?["task_type"] == "TT_FinMile")
        #expect(tasks[3]?["cstr_type"] == "CS_MSO")
        #expect(tasks[7]?["cstr_type"] == "CS_MSOA")
        #expect(tasks[12]?["cstr_type"] == "CS_MEOB")
        #expect(tasks[12]?["cstr_date"] == "2026-06-30 17:00")
        #expect(tasks[4]?["target_drtn_hr_cnt"] == "80")
        #expect(tasks[4]?["wbs_id"] == "1")
        #expect(tasks[2]?["task_code"] == "A1010")
        #expect(tasks[17]?["task_code"] == "A1130")

        let links = rows("TASKPRED", in: text).map { "\($0["pred_task_id"]!)>\($0["task_id"]!) \($0["pred_type"]!) \($0["lag_hr_cnt"]!)" }
        #expect(links.contains("3>2 PR_SS 0"))
        #expect(links.contains("5>7 PR_FS -8"))
        #expect(links.contains("11>12 PR_FF -16"))
        #expect(links.contains("13>15 PR_SF 8"))

        let wbs = rows("PROJWBS", in: text)
        #expect(wbs.first?["proj_node_flag"] == "Y")
        #expect(wbs.dropFirst().map { "\($0["wbs_id"]!) \($0["wbs_short_name"]!) \($0["wbs_name"]!)" }
            == ["1 1 Initiation", "6 2 Local design", "9 3 Build and test", "14 4 Go-live"])
        #expect(rows("UDFVALUE", in: text).map { $0["udf_text"]! } == MilestoneKind.allCases.map(\.rawValue))

        let calendar = try #require(rows("CALENDAR", in: text).first)
        #expect(calendar["clndr_name"] == "RX1 Trust calendar")
        let data = try #require(XERCalendarData(calendar["clndr_data"]!))
        #expect(data.weekMinutes == [1: 0, 2: 480, 3: 480, 4: 480, 5: 480, 6: 480, 7: 0])
        #expect(data.exceptions.contains { $0.day == Sample.day("2026-06-13") && $0.minutes == 480 })
        #expect(data.exceptions.contains { $0.day == Sample.day("2026-03-20") && $0.minutes == 0 })
        #expect(!data.exceptions.contains { $0.day == Sample.day("2026-05-04") && $0.minutes == 0 })
    }

    @Test func readsP6CalendarNotation() throws {
        // As P6 lays it out, with whitespace between nodes; 46026 is 2026-01-04.
        let text = """
        (0||CalendarData()(
          (0||DaysOfWeek()(
            (0||1()())
            (0||2()(
              (0||0(s|08:30|f|12:30)())
              (0||1(s|13:00|f|16:30)())))
            (0||7()())))
          (0||VIEW(ShowTotal|Y)())
          (0||Exceptions()(
            (0||0(d|46026)())
            (0||1(d|46027)(
              (0||0(s|09:00|f|13:00)())))))))
        """
        let data = try #require(XERCalendarData(text))
        #expect(data.weekMinutes == [1: 0, 2: 450, 7: 0])
        #expect(data.exceptions.map(\.day) == [Sample.day("2026-01-04"), Sample.day("2026-01-05")])
        #expect(data.exceptions.map(\.minutes) == [0, 240])
        // Unclosed nodes at the end are tolerated, as MPXJ does; nonsense is not.
        #expect(XERCalendarData(String(text.dropLast(3)))?.exceptions.count == 2)
        #expect(XERCalendarData("(0||CalendarData()((0||DaysOfWeek()((0||2()((0||0(s|08:00|f|12:00)())")?.weekMinutes == [2: 240])
        #expect(XERCalendarData("nonsense") == nil)
        #expect(XERCalendarData("(0||Other()())") == nil)
        #expect(XERCalendarData("(0||CalendarData()(x))") == nil)
    }

    @Test func nestedWBSReadsBackInPlace() throws {
        // Summaries among tasks at several levels: activities fill the positions the WBS nodes leave.
        let tasks = [
            PlanTask(id: 10, wbs: "1", name: "Phase", duration: 0, isSummary: true),
            PlanTask(id: 11, wbs: "1.1", name: "First", duration: 2),
            PlanTask(id: 12, wbs: "1.2", name: "Stage", duration: 0, isSummary: true),
            PlanTask(id: 13, wbs: "1.2.1", name: "Inner", duration: 3),
            PlanTask(id: 14, wbs: "1.3", name: "Last", duration: 1),
            PlanTask(id: 15, wbs: "2", name: "Top-level task", duration: 4),
            PlanTask(id: 16, wbs: "3", name: "Later phase", duration: 0, isSummary: true),
            PlanTask(id: 17, wbs: "3.1", name: "Only child", duration: 1),
        ]
        let plan = ProjectPlan(projectCode: "RX1-PACS", start: Sample.day("2026-01-05"), tasks: tasks,
                               dependencies: [Sample.link(11, 13), Sample.link(13, 14), Sample.link(14, 15), Sample.link(15, 17)])
        let back = try PlanReader.read(PlanWriter.write(plan, format: .xer), format: .xer, projectCode: "RX1-PACS")
        #expect(Sample.difference(back.plan, plan) == nil)
    }

    @Test func activityIDsOrderNaturally() {
        #expect(Natural.less("A2", "A10"))
        #expect(Natural.less("A1010", "A10000"))
        #expect(Natural.less("CRS1000", "CRS1010"))
        #expect(!Natural.less("A10", "A2"))
        #expect(Natural.less("A", "A1"))
        #expect(Natural.less("B1", "C0"))
    }

    @Test func writesUTF8WithAByteOrderMarkOnlyWhenNeeded() throws {
        let ascii = PlanWriter.write(plan, format: .xer)
        #expect(ascii.starts(with: Array("ERMHDR".utf8)))
        var welsh = plan
        welsh.tasks[1].name = "Cychwyn – Ŵyl “café”"
        let data = PlanWriter.write(welsh, format: .xer)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF, UInt8(ascii: "E")]))
        let back = try PlanReader.read(data, format: .xer, projectCode: "RX1-PACS")
        #expect(back.plan.tasks[1].name == "Cychwyn – Ŵyl “café”")
    }

    @Test func readsWindows1252Text() throws {
        // Older P6 writes the Windows code page: "–" is 0x96 and "£" 0xA3 there.
        var text = Sample.text(PlanWriter.write(plan, format: .xer))
        text = text.replacingOccurrences(of: "Go-live\t", with: "Go-live – phase 2 (£)\t")
        let data = try #require(text.data(using: .windowsCP1252))
        #expect(String(data: data, encoding: .utf8) == nil)
        let back = try PlanReader.read(data, format: .xer, projectCode: "RX1-PACS")
        #expect(back.plan.tasks.contains { $0.name == "Go-live – phase 2 (£)" })
    }
}
