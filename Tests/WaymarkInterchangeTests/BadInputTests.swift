import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

/// Bad files are refused with a message naming the line and what is wrong there.
@Suite struct BadInputTests {
    func failure(_ text: String, _ format: PlanFormat) -> InterchangeError? {
        do {
            _ = try PlanReader.read(Data(text.utf8), format: format, projectCode: "RX1-PACS")
            return nil
        } catch {
            return error
        }
    }

    /// 1-based line of the first line containing `needle` (after `skipping` earlier matches).
    func line(of needle: String, in text: String, skipping: Int = 0) -> Int {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        return lines.indices.filter { lines[$0].contains(needle) }[skipping] + 1
    }

    func replacing(_ old: String, with new: String, in text: String) throws -> String {
        let range = try #require(text.range(of: old), "'\(old)' is not in the text")
        return text.replacingCharacters(in: range, with: new)
    }

    func expect(_ error: InterchangeError?, _ reason: InterchangeError.Reason, line: Int?, mentions words: [String],
                sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("the file was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        if let line { #expect(error.message.contains("line \(line):"), "\(error)", sourceLocation: sourceLocation) }
        for word in words { #expect(error.message.contains(word), "\(error) lacks '\(word)'", sourceLocation: sourceLocation) }
    }

    // MARK: - Size

    @Test(arguments: PlanFormat.allCases)
    func filesAtTheCapAreRefusedBeforeParsing(format: PlanFormat) {
        let error = failure(String(repeating: " ", count: 0), format) // parsing an empty file fails differently
        #expect(error?.reason != .tooLarge)
        do {
            _ = try PlanReader.read(Data(count: PlanReader.maximumBytes), format: format, projectCode: "X")
            Issue.record("a file of maximumBytes was read")
        } catch {
            #expect(error.reason == .tooLarge)
            #expect(error.message.contains("limit"))
        }
    }

    @Test func filesJustUnderTheCapAreParsed() {
        do {
            _ = try PlanReader.read(Data(count: PlanReader.maximumBytes - 1), format: .mspdi, projectCode: "X")
        } catch {
            #expect(error.reason == .malformed) // zeros are not XML, but they were parsed
        }
    }

    // MARK: - MS Project XML

    var xml: String { Sample.text(PlanWriter.write(Sample.plan, format: .mspdi, taskDates: Sample.dates)) }

    @Test func malformedXML() throws {
        let text = try replacing("</Title>", with: "</Titel>", in: xml)
        expect(failure(text, .mspdi), .malformed, line: line(of: "</Titel>", in: text), mentions: ["malformed"])
    }

    @Test func truncatedXML() {
        let text = String(xml.prefix(xml.count / 2))
        let error = failure(text, .mspdi)
        #expect(error?.reason == .malformed)
        #expect(error?.message.contains("truncated") == true)
        #expect((error?.line ?? 0) >= text.split(whereSeparator: \.isNewline).count - 1)
    }

    @Test func notMSProjectXML() {
        expect(failure("<?xml version=\"1.0\"?>\n<html>\n<body/></html>", .mspdi), .malformed, line: 2, mentions: ["<html>", "not MS Project XML"])
    }

    @Test func documentTypeDeclarationsAreRefused() {
        // Entity expansion ("billion laughs") and external entities need a DTD; MS Project XML has none.
        let text = "<?xml version=\"1.0\"?>\n<!-- exported -->\n<!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Project><Name>&x;</Name></Project>"
        expect(failure(text, .mspdi), .malformed, line: 3, mentions: ["<!DOCTYPE>"])
    }

    @Test func unknownTaskCalendar() throws {
        let task = try #require(xml.range(of: "<UID>4</UID>"))
        let calendar = try #require(xml.range(of: "<CalendarUID>-1</CalendarUID>", range: task.upperBound..<xml.endIndex))
        let text = xml.replacingCharacters(in: calendar, with: "<CalendarUID>7</CalendarUID>")
        expect(failure(text, .mspdi), .unknownCalendar, line: line(of: "<CalendarUID>7<", in: text), mentions: ["task UID 4", "7"])
    }

    @Test func unknownProjectCalendar() throws {
        let text = try replacing("<CalendarUID>1</CalendarUID>", with: "<CalendarUID>3</CalendarUID>", in: xml)
        expect(failure(text, .mspdi), .unknownCalendar, line: line(of: "<CalendarUID>3<", in: text), mentions: ["project's <CalendarUID>"])
    }

    @Test func linkToMissingTask() throws {
        let text = try replacing("<PredecessorUID>4</PredecessorUID>", with: "<PredecessorUID>99</PredecessorUID>", in: xml)
        // The line of the <PredecessorLink> element, just above its PredecessorUID.
        expect(failure(text, .mspdi), .missingTask, line: line(of: "<PredecessorUID>99<", in: text) - 1, mentions: ["task UID 5", "task 99"])
    }

    @Test func negativeDuration() throws {
        let text = try replacing("<Duration>PT80H0M0S</Duration>", with: "<Duration>-PT80H0M0S</Duration>", in: xml)
        expect(failure(text, .mspdi), .negativeDuration, line: line(of: "-PT80H", in: text), mentions: ["task UID 4", "negative"])
    }

    @Test func hugeDurationAndLag() throws {
        let text = try replacing("<Duration>PT80H0M0S</Duration>", with: "<Duration>PT99999999999H0M0S</Duration>", in: xml)
        expect(failure(text, .mspdi), .invalidValue, line: line(of: "PT99999999999H", in: text), mentions: ["<Duration> of task UID 4", "1000000 working days"])
        let lag = try replacing("<LinkLag>9600</LinkLag>", with: "<LinkLag>1e300</LinkLag>", in: xml)
        // The line of the <PredecessorLink> element, four above its LinkLag.
        expect(failure(lag, .mspdi), .invalidValue, line: line(of: "<LinkLag>1e300", in: lag) - 4, mentions: ["<LinkLag>", "1000000 working days"])
    }

    @Test func duplicateUID() throws {
        let text = try replacing("<UID>4</UID>", with: "<UID>2</UID>", in: xml)
        let first = line(of: "<UID>2</UID>", in: text) - 1, second = line(of: "<UID>2</UID>", in: text, skipping: 1) - 1
        expect(failure(text, .mspdi), .duplicateID, line: second, mentions: ["id 2", "line \(first)"])
    }

    @Test func nonNumericValues() throws {
        let lag = try replacing("<LinkLag>9600</LinkLag>", with: "<LinkLag>two days</LinkLag>", in: xml)
        expect(failure(lag, .mspdi), .invalidValue, line: line(of: "two days", in: lag), mentions: ["LinkLag", "task UID 4", "'two days'"])
        let uid = try replacing("<UID>3</UID>", with: "<UID>three</UID>", in: xml)
        expect(failure(uid, .mspdi), .invalidValue, line: line(of: "three", in: uid), mentions: ["Task/UID", "not a whole number"])
        let date = try replacing("<StartDate>2026-01-05T08:00:00", with: "<StartDate>5 Jan 2026", in: xml)
        expect(failure(date, .mspdi), .invalidValue, line: line(of: "5 Jan 2026", in: date), mentions: ["StartDate"])
    }

    // MARK: - Primavera XER

    var xer: String {
        var plan = Sample.plan
        plan.dependencies = Sample.localLinks
        return Sample.text(PlanWriter.write(plan, format: .xer, taskDates: Sample.dates))
    }

    /// Sets one field of the first row of `table` whose `key` field is `value`; returns the text and the row's line.
    func settingXER(_ table: String, where key: String, is value: String, _ field: String, to new: String) throws -> (String, Int) {
        var lines = xer.components(separatedBy: "\r\n")
        var current = "", fields: [String] = []
        for index in lines.indices {
            var cells = lines[index].components(separatedBy: "\t")
            switch cells[0] {
            case "%T": current = cells[1]
            case "%F": fields = Array(cells.dropFirst())
            case "%R" where current == table:
                let at = try #require(fields.firstIndex(of: key)), target = try #require(fields.firstIndex(of: field))
                guard cells[at + 1] == value else { continue }
                cells[target + 1] = new
                lines[index] = cells.joined(separator: "\t")
                return (lines.joined(separator: "\r\n"), index + 1)
            default: break
            }
        }
        Issue.record("no \(table) row with \(key) \(value)")
        return (xer, 0)
    }

    @Test func notAnXERFile() {
        expect(failure("proj_id,name\n1,x\n", .xer), .malformed, line: 1, mentions: ["ERMHDR"])
    }

    @Test func truncatedXER() throws {
        let lines = xer.components(separatedBy: "\r\n")
        let text = lines.prefix(lines.count / 2).joined(separator: "\r\n")
        expect(failure(text, .xer), .malformed, line: lines.count / 2, mentions: ["%E", "truncated"])
    }

    @Test func malformedXER() throws {
        expect(failure("ERMHDR\t19.12\n%T\tTASK\n%R\t1\tx\n%E\n", .xer), .malformed, line: 3, mentions: ["%R comes before", "%F"])
        expect(failure("ERMHDR\t19.12\n%T\tTASK\n%F\ttask_id\n%R\t1\n#R\t2\n%E\n", .xer), .malformed, line: 5, mentions: ["#R"])
        let (extra, row) = try settingXER("TASK", where: "task_id", is: "4", "priority_type", to: "PT_Normal\tsurplus")
        expect(failure(extra, .xer), .malformed, line: row, mentions: ["TASK row has 23 values", "22 fields"])
    }

    @Test func unknownCalendarInXER() throws {
        let (text, row) = try settingXER("TASK", where: "task_id", is: "4", "clndr_id", to: "42")
        expect(failure(text, .xer), .unknownCalendar, line: row, mentions: ["clndr_id is 42", "task_id 4"])
    }

    @Test func linkToMissingTaskInXER() throws {
        let (text, row) = try settingXER("TASKPRED", where: "task_id", is: "4", "pred_task_id", to: "999")
        expect(failure(text, .xer), .missingTask, line: row, mentions: ["task 999", "task_id 4"])
    }

    @Test func negativeDurationInXER() throws {
        let (text, row) = try settingXER("TASK", where: "task_id", is: "4", "target_drtn_hr_cnt", to: "-8")
        expect(failure(text, .xer), .negativeDuration, line: row, mentions: ["target_drtn_hr_cnt is -8", "task_id 4"])
    }

    /// A fuzzer's find: 1e300 hours once trapped converting to Int.
    @Test func hugeDurationsLagsAndDaysInXER() throws {
        let (hours, row) = try settingXER("TASK", where: "task_id", is: "4", "target_drtn_hr_cnt", to: "1e300")
        expect(failure(hours, .xer), .invalidValue, line: row, mentions: ["target_drtn_hr_cnt is 1e300", "1000000 working days", "task_id 4"])
        let (lag, link) = try settingXER("TASKPRED", where: "task_id", is: "4", "lag_hr_cnt", to: "-9e18")
        expect(failure(lag, .xer), .invalidValue, line: link, mentions: ["lag_hr_cnt is -9e18", "1000000 working days"])
        let (day, calendar) = try settingXER("CALENDAR", where: "clndr_id", is: String(XER.calendarID), "day_hr_cnt", to: "1e300")
        expect(failure(day, .xer), .invalidValue, line: calendar, mentions: ["day_hr_cnt is 1e300", "at most 24"])
    }

    @Test func duplicateTaskIDInXER() throws {
        let (text, row) = try settingXER("TASK", where: "task_id", is: "4", "task_id", to: "2")
        expect(failure(text, .xer), .duplicateID, line: row, mentions: ["repeats id 2", "line \(row - 2)"])
    }

    @Test func nonNumericValuesInXER() throws {
        let (hours, row) = try settingXER("TASK", where: "task_id", is: "4", "target_drtn_hr_cnt", to: "eighty")
        expect(failure(hours, .xer), .invalidValue, line: row, mentions: ["target_drtn_hr_cnt", "'eighty'", "not a number"])
        let (lag, link) = try settingXER("TASKPRED", where: "task_id", is: "4", "lag_hr_cnt", to: "2d")
        expect(failure(lag, .xer), .invalidValue, line: link, mentions: ["lag_hr_cnt", "'2d'"])
    }

    // MARK: - CSV

    let header = "id,wbs,name,duration_days,summary,constraint,constraint_date,nsi_milestone,predecessors,start,finish\n"

    @Test func unclosedQuoteInCSV() {
        expect(failure(header + "0,,P,,yes,,,,,2026-01-05,\n1,1,\"Kick-off,5,,,,,,,\n2,2,Next,1,,,,,,,\n", .csv),
               .malformed, line: 3, mentions: ["never closed"])
    }

    @Test func missingColumnInCSV() {
        expect(failure("id,name\n1,Kick-off\n", .csv), .malformed, line: 1, mentions: ["no duration_days column"])
    }

    @Test func nonNumericAndNegativeInCSV() {
        expect(failure(header + "1,1,Kick-off,three,,,,,,,\n", .csv), .invalidValue, line: 2, mentions: ["duration_days", "'three'"])
        expect(failure(header + "1,1,Kick-off,-3,,,,,,,\n", .csv), .negativeDuration, line: 2, mentions: ["'-3'", "task 1"])
        expect(failure(header + "x1,1,Kick-off,3,,,,,,,\n", .csv), .invalidValue, line: 2, mentions: ["column id", "'x1'"])
        expect(failure(header + "1,1,Kick-off,3,,,,,,05/13/2026,2026-05-14\n", .csv), .invalidValue, line: 2, mentions: ["column start"])
    }

    @Test func duplicateIDInCSV() {
        expect(failure(header + "1,1,A,3,,,,,,2026-01-05,\n1,2,B,3,,,,,,,\n", .csv), .duplicateID, line: 3, mentions: ["id 1", "line 2"])
    }

    @Test func badLinksInCSV() {
        let rows = header + "1,1,A,3,,,,,,2026-01-05,\n"
        expect(failure(rows + "2,2,B,3,,,,,7FS+2,,\n", .csv), .missingTask, line: 3, mentions: ["task 2", "task 7"])
        expect(failure(rows + "2,2,B,3,,,,,1XX+2,,\n", .csv), .invalidValue, line: 3, mentions: ["predecessors", "'1XX+2'"])
        expect(failure(rows + "2,2,B,0,,,,go live,,,\n", .csv), .invalidValue, line: 3, mentions: ["nsi_milestone", "'go live'"])
        expect(failure(rows + "2,2,B,3,,,,,,,,extra\n", .csv), .malformed, line: 3, mentions: ["12 cells", "11"])
    }

    @Test func csvLinesCountPhysicalLines() {
        // The first task's name spans two lines, so the bad row is on line 5.
        let text = header + "0,,P,,yes,,,,,2026-01-05,\n1,1,\"Kick-off\nmeeting\",1,,,,,,,\n2,2,B,many,,,,,,,\n"
        expect(failure(text, .csv), .invalidValue, line: 5, mentions: ["'many'"])
    }
}
