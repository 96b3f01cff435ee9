import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

@Suite struct CSVTests {
    @Test func writesTheDocumentedLayout() {
        let text = Sample.text(PlanWriter.write(Sample.plan, format: .csv, taskDates: Sample.dates))
        let lines = text.dropFirst().components(separatedBy: "\r\n") // after the byte-order mark
        #expect(text.hasPrefix("\u{FEFF}id,wbs,name,duration_days,"))
        #expect(lines[0] == CSVPlanFormat.columns.joined(separator: ","))
        #expect(lines[1] == "0,,RX1-PACS,,yes,,,,,2026-01-05,")
        #expect(lines[3] == "2,1.1,\"Project kick-off & PID \"\"draft\"\"\",1,,,,,3SS,2026-01-05,2026-01-05")
        #expect(lines[4] == "3,1.2,Initiation Commenced,0,,MSO,2026-01-05,initiation-commenced,,2026-01-06,2026-01-06")
        #expect(lines[8].contains(",\"Local design workshops, radiology\",15,,SNET,2026-02-02,,5FS-1,"))
        #expect(lines[12].hasPrefix("11,3.2,'=Interface testing (RIS-PACS),10,"))
        #expect(lines[16].contains(",11FS+3;13SF+1;RX1-RIS:40FS-2,") || lines[16].contains(",13SF+1;11FS+3;RX1-RIS:40FS-2,"))
    }

    @Test func formulaGuardRoundTripsEvenLeadingApostrophes() throws {
        for name in ["=SUM(A1)", "+44 20 7946", "-dash", "@here", "'=already quoted", "''+twice", "'plain", "O'Neil"] {
            let plan = ProjectPlan(projectCode: "X", start: Sample.day("2026-01-05"),
                                   tasks: [PlanTask(id: 1, wbs: "1", name: name, duration: 1)])
            let text = Sample.text(PlanWriter.write(plan, format: .csv))
            let cell = text.components(separatedBy: "\r\n")[2].split(separator: ",", omittingEmptySubsequences: false)[2]
            #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell) could run as a formula")
            let back = try PlanReader.read(Data(text.utf8), format: .csv, projectCode: "X")
            #expect(back.plan.tasks.first?.name == name)
        }
    }

    @Test func readsWhatPeopleAndSpreadsheetsWrite() throws {
        // Columns in another order, title-cased headers, UK dates, MS Project link forms, blank lines.
        let text = """
        Name,ID,Duration_Days,Predecessors,Start,Finish,NSI_Milestone,Constraint,Constraint_Date,Summary,Owner\r
        Kick-off,1,2,,05/01/2026,06/01/2026,,Start no earlier than,05/01/2026,no,Jo\r
        \r
        Design,2,5,"1FS+2 days, 1SS",,,,,,,\r
        Go-Live Completed,3,0,2FF-1d,,,Go-Live Completed,,,,\r
        """
        let imported = try PlanReader.read(Data(text.utf8), format: .csv, projectCode: "RX9-CRS")
        let plan = imported.plan
        #expect(plan.start == Sample.day("2026-01-05"))
        #expect(plan.tasks.map(\.name) == ["Kick-off", "Design", "Go-Live Completed"])
        #expect(plan.tasks[0].constraint == TaskConstraint(.startNoEarlierThan, Sample.day("2026-01-05")))
        #expect(plan.tasks[2].nsiMilestone == .goLiveCompleted)
        #expect(imported.taskDates[1] == TaskDates(start: Sample.day("2026-01-05"), finish: Sample.day("2026-01-06")))
        #expect(plan.dependencies == [Sample.link(1, 2, .finishToStart, 2), Sample.link(1, 2, .startToStart), Sample.link(2, 3, .finishToFinish, -1)])
        let report = imported.report.map(\.description)
        #expect(report.contains("line 1 (column Owner): is not a Waymark plan column; not imported"))
        #expect(report.contains { $0.contains("no project row (id 0)") && $0.contains("2026-01-05") })
    }

    @Test func theProjectRowNeedsAStart() {
        let data = Data("id,name,duration_days,start\n0,P,,\n1,A,1,\n".utf8)
        let error = #expect(throws: InterchangeError.self) { try PlanReader.read(data, format: .csv, projectCode: "X") }
        #expect(error?.line == 2)
        #expect(error?.message.contains("project row (id 0) has no start date") == true)
    }

    @Test func unsupportedConstraintsAreNotedNotFatal() throws {
        let text = "id,name,duration_days,constraint,constraint_date,start\n0,P,,,,2026-01-05\n1,A,1,ASAP,,\n2,B,1,MFO,2026-03-02,\n"
        let imported = try PlanReader.read(Data(text.utf8), format: .csv, projectCode: "X")
        #expect(imported.plan.tasks.map(\.constraint) == [nil, nil])
        #expect(imported.report.contains { $0.line == 4 && $0.message.contains("'MFO' is not supported") })
    }

    @Test func linkSyntax() {
        #expect(CSVReader.parseLink("12", successor: 5) == Sample.link(12, 5))
        #expect(CSVReader.parseLink("12ss", successor: 5) == Sample.link(12, 5, .startToStart))
        #expect(CSVReader.parseLink("12FF-3", successor: 5) == Sample.link(12, 5, .finishToFinish, -3))
        #expect(CSVReader.parseLink("12SF+4 days", successor: 5) == Sample.link(12, 5, .startToFinish, 4))
        #expect(CSVReader.parseLink("RX1-RIS:40FS-2", successor: 5) == Sample.link(40, 5, .finishToStart, -2, project: "RX1-RIS"))
        for bad in ["", "FS", "12XY", "12FS+", "12FS+2h", "12FS*2", ":12"] {
            #expect(CSVReader.parseLink(bad, successor: 5) == nil, "'\(bad)' parsed")
        }
    }
}
