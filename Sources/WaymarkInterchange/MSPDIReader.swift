import Foundation
import WaymarkCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads MS Project XML with the SAX parser into `MSPDIFile`, then `MSPDIAssembler` makes the plan.
enum MSPDIReader {
    static func read(_ data: Data, projectCode: String) throws(InterchangeError) -> ImportedPlan {
        guard !data.isEmpty else { throw InterchangeError(.malformed, .mspdi, line: 1, "the file is empty") }
        let data = try MSPDIInput.prepare(data)
        if let line = doctypeLine(data) {
            // MS Project XML has no DTD; refusing one shuts out entity-expansion attacks.
            throw InterchangeError(.malformed, .mspdi, line: line, "the file has a <!DOCTYPE>, which MS Project XML never has; it is refused")
        }
        let handler = MSPDIHandler()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        let parsed = parser.parse()
        if let failure = handler.failure { throw failure }
        guard parsed, handler.finished else {
            let line = max(1, handler.errorLine ?? parser.lineNumber)
            let detail = handler.errorText ?? "the XML ends early"
            throw InterchangeError(.malformed, .mspdi, line: line, "the XML is malformed or truncated (\(detail))")
        }
        var assembler = MSPDIAssembler(file: handler.file, projectCode: projectCode)
        return try assembler.assemble()
    }
}

/// The line of a <!DOCTYPE> in the prolog (before the root element), if there is one.
private func doctypeLine(_ data: Data) -> Int? {
    let bytes = [UInt8](data.prefix(64 * 1024))
    var at = 0
    var line = 1
    func starts(_ text: String) -> Bool { bytes[at...].starts(with: text.utf8) }
    func skip(past end: String) {
        while at < bytes.count, !starts(end) {
            if bytes[at] == 0x0A { line += 1 }
            at += 1
        }
        at += end.utf8.count
    }
    while at < bytes.count {
        switch bytes[at] {
        case 0x0A:
            line += 1
            at += 1
        case 0x20, 0x09, 0x0D, 0xEF, 0xBB, 0xBF: at += 1
        default:
            if starts("<?") { skip(past: "?>") } else if starts("<!--") { skip(past: "-->") } else if starts("<!DOCTYPE") { return line } else { return nil }
        }
    }
    return nil
}

/// What the parser collects: the elements Waymark uses, as found, with their lines.
struct MSPDIFile {
    struct Calendar {
        var line: Int
        var uid: Int?
        var name = ""
        var baseUID: Int?
        var baseLine = 0
        var weekDays: [WeekDay] = []
        var exceptions: [Exception] = []
        var hasWorkWeeks = false
    }

    struct WeekDay {
        var line: Int
        var dayType = 0
        var working = false
        var minutes = 0
        var from: Day?
        var to: Day?
    }

    struct Exception {
        var line: Int
        var name = ""
        var from: Day?
        var to: Day?
        var type: Int?
        var working = false
        var minutes = 0
    }

    struct Task {
        var line: Int
        var uid: Int?
        var name = ""
        var wbs: String?
        var outlineNumber: String?
        var outlineLevel: Int?
        var summary = false
        var milestone = false
        var durationMinutes: Double = 0
        var durationLine = 0
        var durationFormat: Int?
        var start: Day?
        var finish: Day?
        var constraintType = 0
        var constraintLine = 0
        var constraintDate: Day?
        var calendarUID: Int?
        var calendarLine = 0
        var external = false
        var isNull = false
        var links: [Link] = []
        var customFields: [(fieldID: Int, value: String, line: Int)] = []
        var baselines: [Baseline] = []
        /// Elements with a value Waymark cannot hold (costs, work, deadlines...), by element name.
        var unsupported: [(element: String, line: Int)] = []

        var subject: String { uid.map { "task UID \($0)" } ?? "the task starting on line \(line)" }
    }

    struct Link {
        var line: Int
        var predecessorUID: Int?
        var type = 1
        var crossProject = false
        var crossProjectName: String?
        var lag: Double = 0
        var lagFormat = 7
    }

    struct Baseline {
        var line: Int
        var number: Int?
        var start: Day?
        var finish: Day?
        var durationMinutes: Double?
    }

    var name = ""
    var startDate: Day?
    var calendarUID: Int?
    var calendarLine = 0
    var minutesPerDay: Int?
    var minutesPerDayLine = 0
    var fieldAliases: [(fieldID: Int, alias: String)] = []
    var calendars: [Calendar] = []
    var tasks: [Task] = []
    var resources = 0
    var resourceLine: Int?
    var assignments = 0
    var assignmentLine: Int?
}

/// ISO 8601 durations as MS Project writes them ("PT40H0M0S", "-PT8H0M0S"); days are 24 hours.
enum ISODuration {
    static func minutes(_ text: String) -> Double? {
        var scalars = Substring(text)
        var sign = 1.0
        if scalars.first == "-" {
            sign = -1
            scalars = scalars.dropFirst()
        }
        guard scalars.first == "P" else { return nil }
        scalars = scalars.dropFirst()
        var total = 0.0
        var inTime = false
        var number = ""
        var sawUnit = false
        for character in scalars {
            switch character {
            case "T": inTime = true
            case "0"..."9", ".": number.append(character)
            case "W", "D", "H", "M", "S":
                guard let amount = Double(number) else { return nil }
                number = ""
                sawUnit = true
                switch (character, inTime) {
                case ("W", false): total += amount * 7 * 1440
                case ("D", false): total += amount * 1440
                case ("H", true): total += amount * 60
                case ("M", true): total += amount
                case ("S", true): total += amount / 60
                default: return nil // years and months have no fixed length
                }
            default: return nil
            }
        }
        guard sawUnit, number.isEmpty else { return nil }
        return sign * total
    }
}
