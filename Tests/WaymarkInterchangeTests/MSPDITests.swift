import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

@Suite struct MSPDITests {
    let xml = Sample.text(PlanWriter.write(Sample.plan, format: .mspdi, taskDates: Sample.dates, baselines: Sample.baselines))

    /// The <Task> element with this UID.
    func task(_ uid: Int) throws -> String {
        let start = try #require(xml.range(of: "<Task>\n      <UID>\(uid)</UID>"))
        let end = try #require(xml.range(of: "</Task>", range: start.upperBound..<xml.endIndex))
        return String(xml[start.lowerBound..<end.upperBound])
    }

    func compact(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    @Test func writesMSProjectCodes() throws {
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Project xmlns=\"http://schemas.microsoft.com/project\">"))
        #expect(xml.contains("<MinutesPerDay>480</MinutesPerDay>"))
        #expect(compact(xml).contains("<FieldID>188744016</FieldID><FieldName>Text30</FieldName><Alias>NSI Milestone</Alias>"))

        let milestone = compact(try task(3))
        #expect(milestone.contains("<Start>2026-01-06T17:00:00</Start><Finish>2026-01-06T17:00:00</Finish><Duration>PT0H0M0S</Duration>"))
        #expect(milestone.contains("<Milestone>1</Milestone><Summary>0</Summary><ConstraintType>2</ConstraintType>"))
        #expect(milestone.contains("<ConstraintDate>2026-01-05T08:00:00</ConstraintDate>"))
        #expect(milestone.contains("<ExtendedAttribute><FieldID>188744016</FieldID><Value>initiation-commenced</Value></ExtendedAttribute>"))

        let summary = compact(try task(1))
        #expect(summary.contains("<WBS>1</WBS><OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel>"))
        #expect(summary.contains("<Summary>1</Summary>"))

        #expect(compact(try task(2)).contains("<Name>Project kick-off &amp; PID &quot;draft&quot;</Name>"))
        #expect(compact(try task(10)).contains("<Name>Build PACS servers &lt;site A&gt;</Name>"))
        #expect(compact(try task(7)).contains("<ConstraintType>4</ConstraintType>"))
        #expect(compact(try task(12)).contains("<ConstraintType>7</ConstraintType><CalendarUID>-1</CalendarUID><ConstraintDate>2026-06-30T17:00:00</ConstraintDate>"))
        #expect(compact(try task(4)).contains("<Duration>PT80H0M0S</Duration><DurationFormat>7</DurationFormat>"))

        // Link types FF 0, FS 1, SF 2, SS 3; lags in tenths of a minute, 4,800 a day.
        #expect(compact(try task(4)).contains("<PredecessorUID>2</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject><LinkLag>9600</LinkLag><LagFormat>7</LagFormat>"))
        #expect(compact(try task(7)).contains("<PredecessorUID>5</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject><LinkLag>-4800</LinkLag>"))
        #expect(compact(try task(8)).contains("<PredecessorUID>7</PredecessorUID><Type>0</Type>"))
        #expect(compact(try task(2)).contains("<PredecessorUID>3</PredecessorUID><Type>3</Type>"))
        let cutover = compact(try task(15))
        #expect(cutover.contains("<PredecessorUID>13</PredecessorUID><Type>2</Type><CrossProject>0</CrossProject><LinkLag>4800</LinkLag>"))
        #expect(cutover.contains("<PredecessorUID>18</PredecessorUID><Type>1</Type><CrossProject>1</CrossProject><CrossProjectName>RX1-RIS\\40</CrossProjectName><LinkLag>-9600</LinkLag>"))

        let baselines = compact(try task(10))
        #expect(baselines.contains("<Baseline><Number>0</Number><Start>"))
        #expect(baselines.contains("<Baseline><Number>1</Number><Start>2026-03-02T08:00:00</Start><Finish>2026-03-27T17:00:00</Finish><Duration>PT160H0M0S</Duration>"))
    }

    @Test func calendarHoldsBankHolidaysAndTheTrustsExceptions() {
        let calendar = compact(xml)
        func exception(_ day: String, working: Bool) -> String {
            "<FromDate>\(day)T00:00:00</FromDate><ToDate>\(day)T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences><Name>\(working ? "Working day" : day == "2026-03-20" ? "Holiday" : "Bank holiday")</Name><Type>1</Type><DayWorking>\(working ? 1 : 0)</DayWorking>"
        }
        #expect(calendar.contains("<Name>RX1 Trust calendar</Name>"))
        #expect(calendar.contains(exception("2026-04-03", working: false)))
        #expect(calendar.contains(exception("2026-03-20", working: false)))
        #expect(calendar.contains(exception("2026-06-13", working: true)))
        #expect(calendar.contains(exception("2026-05-04", working: true))) // a bank holiday the trust works
        #expect(!calendar.contains(exception("2026-05-04", working: false)))
    }

    @Test func writesTasksInOutlineOrder() throws {
        var plan = Sample.plan
        plan.tasks.reverse()
        let back = try PlanReader.read(PlanWriter.write(plan, format: .mspdi), format: .mspdi, projectCode: "RX1-PACS")
        #expect(back.plan.tasks == Sample.plan.tasks)
    }

    /// What MS Project files carry that Waymark plans cannot, read and reported.
    static let foreign = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Project xmlns="http://schemas.microsoft.com/project">
      <StartDate>2026-02-02T09:00:00</StartDate>
      <CalendarUID>2</CalendarUID>
      <MinutesPerDay>450</MinutesPerDay>
      <Calendars>
        <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID>
          <Exceptions>
            <Exception><TimePeriod><FromDate>2026-02-06T00:00:00</FromDate><ToDate>2026-02-06T23:59:00</ToDate></TimePeriod><Name>Closure</Name><Type>1</Type><DayWorking>0</DayWorking></Exception>
          </Exceptions>
        </Calendar>
        <Calendar><UID>2</UID><Name>Trust</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID>
          <WeekDays>
            <WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay>
            <WeekDay><DayType>7</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>13:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
          </WeekDays>
          <Exceptions>
            <Exception><TimePeriod><FromDate>2026-02-08T00:00:00</FromDate><ToDate>2026-02-08T23:59:00</ToDate></TimePeriod><Name>Sunday cutover</Name><Type>1</Type><DayWorking>1</DayWorking>
              <WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>13:00:00</ToTime></WorkingTime></WorkingTimes></Exception>
            <Exception><TimePeriod><FromDate>2026-01-01T00:00:00</FromDate><ToDate>2030-01-01T23:59:00</ToDate></TimePeriod><Name>New Year</Name><Type>2</Type><DayWorking>0</DayWorking></Exception>
          </Exceptions>
        </Calendar>
      </Calendars>
      <Tasks>
        <Task><UID>1</UID><Name>Design</Name><OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel><Duration>PT37H30M0S</Duration><ConstraintType>1</ConstraintType><Manual>1</Manual></Task>
        <Task><UID>2</UID><Name>Soak test</Name><OutlineNumber>2</OutlineNumber><OutlineLevel>1</OutlineLevel><Duration>PT48H0M0S</Duration><DurationFormat>8</DurationFormat><CalendarUID>1</CalendarUID>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>4500</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
          <PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type><CrossProject>1</CrossProject><CrossProjectName>C:\\Plans\\RX1-RIS.mpp\\40</CrossProjectName><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
        </Task>
        <Task><UID>3</UID><Name>RIS go-live</Name><ExternalTask>1</ExternalTask><OutlineLevel>1</OutlineLevel></Task>
        <Task><UID>4</UID><Name>Go-Live Completed</Name><OutlineNumber>3</OutlineNumber><OutlineLevel>1</OutlineLevel><Duration>PT0H0M0S</Duration>
          <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type><LinkLag>28800</LinkLag><LagFormat>8</LagFormat></PredecessorLink>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>2250</LinkLag><LagFormat>5</LagFormat></PredecessorLink>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>0</Type><LinkLag>500</LinkLag><LagFormat>19</LagFormat></PredecessorLink>
        </Task>
      </Tasks>
    </Project>
    """

    @Test func readsForeignFeaturesAndReportsWhatDidNotCarry() throws {
        let imported = try PlanReader.read(Data(Self.foreign.utf8), format: .mspdi, projectCode: "RX1-PACS")
        let plan = imported.plan
        #expect(plan.tasks.map(\.id) == [1, 2, 4]) // the external placeholder is not a task
        #expect(plan.tasks.map(\.duration) == [5, 2, 0]) // 37.5 hours at 7.5 a day; 48 elapsed hours
        #expect(plan.tasks[2].nsiMilestone == .goLiveCompleted) // by name, as the file has no NSI field
        #expect(plan.tasks[0].constraint == nil)
        #expect(plan.dependencies == [
            Sample.link(1, 2, .finishToStart, 1),
            Sample.link(40, 2, project: "RX1-RIS"),
            Sample.link(2, 4, .startToStart, 2),  // two elapsed days
            Sample.link(1, 4, .finishToStart, 1), // half a day rounds to one
            Sample.link(1, 4, .finishToFinish, 0), // percentage lags are dropped
        ])
        // The derived calendar keeps its base's closure and its own exceptions (whole days only).
        #expect(plan.calendar.name == "Trust")
        #expect(plan.calendar.extraHolidays == [Sample.day("2026-02-06")])
        #expect(plan.calendar.extraWorkingDays == [Sample.day("2026-02-08")])

        let report = imported.report.map(\.description)
        for expected in [
            "does not work Fridays", "works Saturdays", "'Sunday cutover' has 4 working hours", "recurring exception 'New Year' is not carried",
            "As Late As Possible is not supported", "manually scheduled", "elapsed duration of 2 days", "own calendar 'Standard'",
            "external (cross-project) placeholder", "another project's file 'C:\\Plans\\RX1-RIS.mpp\\40' is kept as a link to project 'RX1-RIS'",
            "elapsed lag of 2 days", "lag of 3.75 hours is rounded to 1 working day", "percentage of the predecessor",
            "mapped to the NSI milestone Go-Live Completed by its name", "works 8 English bank holidays (2026-04-03, 2026-04-06, 2026-05-04, ...)",
        ] {
            #expect(report.contains { $0.contains(expected) }, "no note says '\(expected)':\n\(report.joined(separator: "\n"))")
        }
        let percentLine = Self.foreign.split(separator: "\n").firstIndex { $0.contains("<LagFormat>19<") }.map { $0 + 1 }
        #expect(imported.report.first { $0.message.contains("percentage") }?.line == percentLine)
    }

    @Test func repeatedNotesAreFoldedIntoOne() throws {
        var tasks = ""
        for uid in 1...50 {
            tasks += "<Task><UID>\(uid)</UID><Name>T\(uid)</Name><OutlineNumber>\(uid)</OutlineNumber><OutlineLevel>1</OutlineLevel><Duration>PT4H0M0S</Duration><Cost>100</Cost></Task>\n"
        }
        let text = "<Project xmlns=\"http://schemas.microsoft.com/project\"><StartDate>2026-02-02T08:00:00</StartDate><Tasks>\n\(tasks)</Tasks></Project>"
        let imported = try PlanReader.read(Data(text.utf8), format: .mspdi, projectCode: "X")
        #expect(imported.plan.tasks.allSatisfy { $0.duration == 1 })
        let rounding = imported.report.filter { $0.message.contains("rounded up") }
        #expect(rounding.count == 1)
        #expect(rounding.first?.message.hasSuffix("(and 49 more like it)") == true)
        #expect(rounding.first?.line == 2)
        #expect(imported.report.filter { $0.message.contains("costs") }.count == 1)
    }
}
