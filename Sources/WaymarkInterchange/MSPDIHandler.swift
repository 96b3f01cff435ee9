import Foundation
import WaymarkCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SAX delegate: keeps the element path and collects the values Waymark uses into
/// `MSPDIFile`, converting numbers and dates as it goes so errors carry the element's line.
final class MSPDIHandler: NSObject, XMLParserDelegate {
    var file = MSPDIFile()
    var failure: InterchangeError?
    var finished = false
    var errorLine: Int?
    var errorText: String?

    private var path: [String] = []
    private var lines: [Int] = []
    private var text = ""
    private var calendar: MSPDIFile.Calendar?
    private var weekDay: MSPDIFile.WeekDay?
    private var exception: MSPDIFile.Exception?
    private var workingFrom: Int?
    private var workingTo: Int?
    private var task: MSPDIFile.Task?
    private var link: MSPDIFile.Link?
    private var baseline: MSPDIFile.Baseline?
    private var customField: (fieldID: Int?, value: String)?
    private var fieldAlias: (fieldID: Int?, alias: String)?
    private var assignmentResource: Int?
    private var resourceUID: Int?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let line = parser.lineNumber
        path.append(elementName)
        lines.append(line)
        text = ""
        let depth = path.count
        if depth == 1, elementName != "Project" {
            fail(InterchangeError(.malformed, .mspdi, line: line,
                                  "the root element is <\(elementName)>, not <Project>: this is not MS Project XML"), parser)
            return
        }
        switch (depth, elementName) {
        case (3, "Calendar") where path[1] == "Calendars": calendar = .init(line: line)
        case (4, "WorkWeeks") where calendar != nil: calendar?.hasWorkWeeks = true
        case (5, "WeekDay") where calendar != nil && path[3] == "WeekDays": weekDay = .init(line: line)
        case (5, "Exception") where calendar != nil && path[3] == "Exceptions": exception = .init(line: line)
        case (7, "WorkingTime"):
            workingFrom = nil
            workingTo = nil
        case (3, "Task") where path[1] == "Tasks": task = .init(line: line)
        case (4, "PredecessorLink") where task != nil: link = .init(line: line)
        case (4, "Baseline") where task != nil: baseline = .init(line: line)
        case (4, "ExtendedAttribute") where task != nil: customField = (nil, "")
        case (3, "ExtendedAttribute") where path[1] == "ExtendedAttributes": fieldAlias = (nil, "")
        case (3, "Resource") where path[1] == "Resources": resourceUID = nil
        case (3, "Assignment") where path[1] == "Assignments": assignmentResource = nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil else { return }
        do throws(InterchangeError) {
            try end(elementName, line: lines.last ?? parser.lineNumber)
        } catch {
            fail(error, parser)
        }
        path.removeLast()
        lines.removeLast()
        text = ""
        if path.isEmpty { finished = true }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil, errorLine == nil else { return }
        errorLine = parser.lineNumber
        let code = (parseError as NSError).code
        errorText = Self.problems[code] ?? "XML parser error \(code)"
    }

    /// libxml2's codes for what goes wrong most (corelibs Foundation passes them through).
    private static let problems = [
        4: "the document is empty", 5: "the document ends early", 9: "it holds a character XML does not allow",
        23: "an entity reference lacks its ';'", 26: "it uses an undeclared entity", 41: "an attribute has no value",
        68: "a name is missing", 73: "a '>' is missing", 76: "an end tag does not match its start tag",
        77: "an element is never closed", 85: "the elements do not nest properly", 89: "its entities expand without end",
    ]

    private func fail(_ error: InterchangeError, _ parser: XMLParser) {
        failure = error
        parser.abortParsing()
    }

    // MARK: - Element values

    private func end(_ name: String, line: Int) throws(InterchangeError) {
        let depth = path.count
        let value = text.trimmed
        let parent = depth >= 2 ? path[depth - 2] : ""
        switch depth {
        case 2: try projectField(name, value, line: line)
        case 3 where name == "Calendar" && calendar != nil:
            file.calendars.append(calendar!)
            calendar = nil
        case 3 where name == "Task" && task != nil:
            file.tasks.append(task!)
            task = nil
        case 3 where name == "Resource" && parent == "Resources":
            // MS Project writes a blank resource, UID 0, in every file.
            if let uid = resourceUID, uid != 0 {
                file.resources += 1
                file.resourceLine = file.resourceLine ?? line
            }
        case 4 where parent == "Resource" && name == "UID":
            resourceUID = Int(value)
        case 3 where name == "Assignment" && parent == "Assignments":
            // MS Project writes an "unassigned" assignment (resource -65535) for every task.
            if let resource = assignmentResource, resource >= 0 {
                file.assignments += 1
                file.assignmentLine = file.assignmentLine ?? line
            }
        case 3 where name == "ExtendedAttribute" && fieldAlias != nil:
            if let id = fieldAlias!.fieldID { file.fieldAliases.append((id, fieldAlias!.alias)) }
            fieldAlias = nil
        case 4 where parent == "ExtendedAttribute" && fieldAlias != nil:
            if name == "FieldID" { fieldAlias!.fieldID = Int(value) }
            if name == "Alias" { fieldAlias!.alias = value }
        case 4 where parent == "Assignment" && name == "ResourceUID":
            assignmentResource = Int(value)
        case 4 where calendar != nil: try calendarField(name, value, line: line)
        case 4 where task != nil: try taskField(name, value, line: line)
        case 5 where name == "WeekDay" && weekDay != nil:
            calendar?.weekDays.append(weekDay!)
            weekDay = nil
        case 5 where name == "Exception" && exception != nil:
            calendar?.exceptions.append(exception!)
            exception = nil
        case 6 where parent == "WeekDay" || parent == "Exception":
            try calendarDayField(name, value, line: line)
        case 5 where parent == "PredecessorLink" && link != nil: try linkField(name, value, line: line)
        case 5 where parent == "Baseline" && baseline != nil: try baselineField(name, value, line: line)
        case 5 where parent == "ExtendedAttribute" && customField != nil:
            if name == "FieldID" { customField!.fieldID = try integer(value, name, line) }
            if name == "Value" { customField!.value = value }
        case 7, 8: try calendarDetail(name, value, parent: parent, line: line)
        default: break
        }
    }

    private func projectField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        switch name {
        case "Name": file.name = value
        case "StartDate": file.startDate = try day(value, name, line)
        case "CalendarUID":
            file.calendarUID = try integer(value, name, line)
            file.calendarLine = line
        case "MinutesPerDay":
            file.minutesPerDay = try integer(value, name, line)
            file.minutesPerDayLine = line
        default: break
        }
    }

    private func calendarField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        switch name {
        case "UID": calendar!.uid = try integer(value, "Calendar/UID", line)
        case "Name": calendar!.name = value
        case "BaseCalendarUID":
            calendar!.baseUID = try integer(value, "Calendar/BaseCalendarUID", line)
            calendar!.baseLine = line
        default: break
        }
    }

    /// Direct children of WeekDay and Exception.
    private func calendarDayField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        guard weekDay != nil || exception != nil else { return }
        if weekDay != nil {
            switch name {
            case "DayType": weekDay!.dayType = try integer(value, "WeekDay/DayType", line)
            case "DayWorking": weekDay!.working = try flag(value, "WeekDay/DayWorking", line)
            default: break
            }
        } else {
            switch name {
            case "Name": exception!.name = value
            case "Type": exception!.type = try integer(value, "Exception/Type", line)
            case "DayWorking": exception!.working = try flag(value, "Exception/DayWorking", line)
            default: break
            }
        }
    }

    /// TimePeriod dates and WorkingTime hours inside WeekDay or Exception.
    private func calendarDetail(_ name: String, _ value: String, parent: String, line: Int) throws(InterchangeError) {
        guard weekDay != nil || exception != nil else { return }
        switch (parent, name) {
        case ("TimePeriod", "FromDate"):
            let date = try day(value, "TimePeriod/FromDate", line)
            if weekDay != nil { weekDay!.from = date } else { exception!.from = date }
        case ("TimePeriod", "ToDate"):
            let date = try day(value, "TimePeriod/ToDate", line)
            if weekDay != nil { weekDay!.to = date } else { exception!.to = date }
        case ("WorkingTime", "FromTime"): workingFrom = try time(value, name, line)
        case ("WorkingTime", "ToTime"): workingTo = try time(value, name, line)
        case ("WorkingTimes", "WorkingTime"):
            guard let from = workingFrom, let to = workingTo else { return }
            let minutes = to > from ? to - from : to + 1440 - from // "00:00:00" ends at midnight
            if weekDay != nil { weekDay!.minutes += minutes } else { exception!.minutes += minutes }
        default: break
        }
    }

    private func taskField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        switch name {
        case "UID": task!.uid = try integer(value, "Task/UID", line)
        case "Name": task!.name = value
        case "WBS": task!.wbs = value
        case "OutlineNumber": task!.outlineNumber = value
        case "OutlineLevel": task!.outlineLevel = try integer(value, "Task/OutlineLevel", line)
        case "Summary": task!.summary = try flag(value, "Task/Summary", line)
        case "Milestone": task!.milestone = try flag(value, "Task/Milestone", line)
        case "Duration":
            task!.durationMinutes = try duration(value, "Task/Duration", line)
            task!.durationLine = line
            if task!.durationMinutes < 0 {
                throw InterchangeError(.negativeDuration, .mspdi, line: line,
                                       "<Duration> of \(task!.subject) is '\(value)', a negative duration")
            }
        case "DurationFormat": task!.durationFormat = try integer(value, "Task/DurationFormat", line)
        case "Start": task!.start = try day(value, "Task/Start", line)
        case "Finish": task!.finish = try day(value, "Task/Finish", line)
        case "ConstraintType":
            task!.constraintType = try integer(value, "Task/ConstraintType", line)
            task!.constraintLine = line
        case "ConstraintDate": task!.constraintDate = try day(value, "Task/ConstraintDate", line)
        case "CalendarUID":
            task!.calendarUID = try integer(value, "Task/CalendarUID", line)
            task!.calendarLine = line
        case "ExternalTask": task!.external = try flag(value, "Task/ExternalTask", line)
        case "IsNull": task!.isNull = try flag(value, "Task/IsNull", line)
        case "PredecessorLink" where link != nil:
            task!.links.append(link!)
            link = nil
        case "Baseline" where baseline != nil:
            task!.baselines.append(baseline!)
            baseline = nil
        case "ExtendedAttribute" where customField != nil:
            if let id = customField!.fieldID { task!.customFields.append((id, customField!.value, line)) }
            customField = nil
        // What Waymark plans do not hold, when set to something other than the default.
        case "Cost", "FixedCost", "ActualCost":
            if let amount = Double(value), amount != 0 { task!.unsupported.append((name, line)) }
        case "Work", "ActualWork":
            if (try? duration(value, name, line)) ?? 0 != 0 { task!.unsupported.append((name, line)) }
        case "Deadline", "Hyperlink":
            if !value.isEmpty { task!.unsupported.append((name, line)) }
        case "Notes":
            if !value.isEmpty { task!.unsupported.append((name, line)) }
        case "Manual", "Recurring":
            if Text.flag(value) == true { task!.unsupported.append((name, line)) }
        case "Active":
            if Text.flag(value) == false { task!.unsupported.append((name, line)) }
        case "PercentComplete":
            if let percent = Int(value), percent > 0 { task!.unsupported.append((name, line)) }
        default: break
        }
    }

    private func linkField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        switch name {
        case "PredecessorUID": link!.predecessorUID = try integer(value, "PredecessorLink/PredecessorUID", line)
        case "Type": link!.type = try integer(value, "PredecessorLink/Type", line)
        case "CrossProject": link!.crossProject = try flag(value, "PredecessorLink/CrossProject", line)
        case "CrossProjectName": link!.crossProjectName = value
        case "LinkLag": link!.lag = try number(value, "PredecessorLink/LinkLag", line)
        case "LagFormat": link!.lagFormat = try integer(value, "PredecessorLink/LagFormat", line)
        default: break
        }
    }

    private func baselineField(_ name: String, _ value: String, line: Int) throws(InterchangeError) {
        switch name {
        case "Number": baseline!.number = try integer(value, "Baseline/Number", line)
        case "Start": baseline!.start = try day(value, "Baseline/Start", line)
        case "Finish": baseline!.finish = try day(value, "Baseline/Finish", line)
        case "Duration":
            let minutes = try duration(value, "Baseline/Duration", line)
            if minutes < 0 {
                throw InterchangeError(.negativeDuration, .mspdi, line: line,
                                       "<Baseline>/<Duration> of \(task!.subject) is '\(value)', a negative duration")
            }
            baseline!.durationMinutes = minutes
        default: break
        }
    }

    // MARK: - Values

    private func where_(_ element: String) -> String {
        if let task { return "<\(element)> of \(task.subject)" }
        return "<\(element)>"
    }

    private func integer(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Int {
        guard let number = Int(value) else {
            throw InterchangeError(.invalidValue, .mspdi, line: line, "\(where_(element)) is '\(value)', which is not a whole number")
        }
        return number
    }

    private func number(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Double {
        guard let number = Double(value), number.isFinite else {
            throw InterchangeError(.invalidValue, .mspdi, line: line, "\(where_(element)) is '\(value)', which is not a number")
        }
        return number
    }

    private func flag(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Bool {
        guard let flag = Text.flag(value) else {
            throw InterchangeError(.invalidValue, .mspdi, line: line, "\(where_(element)) is '\(value)', not 0 or 1")
        }
        return flag
    }

    private func day(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Day {
        guard let day = Day(dateTime: value) else {
            throw InterchangeError(.invalidValue, .mspdi, line: line,
                                   "\(where_(element)) is '\(value)', not a date and time like 2025-01-06T08:00:00")
        }
        return day
    }

    /// Minutes after midnight from "08:00:00".
    private func time(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Int {
        let parts = value.split(separator: ":")
        guard parts.count >= 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours),
              (0..<60).contains(minutes) else {
            throw InterchangeError(.invalidValue, .mspdi, line: line, "\(where_(element)) is '\(value)', not a time like 08:00:00")
        }
        return hours * 60 + minutes
    }

    private func duration(_ value: String, _ element: String, _ line: Int) throws(InterchangeError) -> Double {
        guard let minutes = ISODuration.minutes(value) else {
            throw InterchangeError(.invalidValue, .mspdi, line: line,
                                   "\(where_(element)) is '\(value)', not a duration like PT40H0M0S")
        }
        return minutes
    }
}
