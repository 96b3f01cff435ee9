import Foundation
import WaymarkCore

/// Plan interchange formats. Each reader returns the plan with a report of what did not carry
/// over; each writer writes whatever the format can hold (`PlanWriter.omissions` says what not).
public enum PlanFormat: String, CaseIterable, Sendable {
    /// Microsoft Project XML (MSPDI).
    case mspdi
    /// Primavera P6 XER.
    case xer
    /// One row per task; see `CSVPlanFormat`.
    case csv

    public var title: String {
        switch self {
        case .mspdi: "MS Project XML"
        case .xer: "Primavera XER"
        case .csv: "CSV"
        }
    }

    public var fileExtension: String {
        switch self {
        case .mspdi: "xml"
        case .xer: "xer"
        case .csv: "csv"
        }
    }
}

/// A task's start and finish as a file states them (for milestones both are its date).
public struct TaskDates: Hashable, Sendable {
    public var start: Day
    public var finish: Day
    public init(start: Day, finish: Day) {
        self.start = start
        self.finish = finish
    }
}

/// Something in a file that did not carry over, or carried over changed.
public struct ImportNote: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line in the file, when known.
    public var line: Int?
    /// What the note is about, e.g. "Task UID 12", "TASK task_id 1040", "column cost".
    public var subject: String?
    public var message: String

    public init(line: Int? = nil, subject: String? = nil, message: String) {
        self.line = line
        self.subject = subject
        self.message = message
    }

    public var description: String {
        switch (line, subject) {
        case let (line?, subject?): "line \(line) (\(subject)): \(message)"
        case let (line?, nil): "line \(line): \(message)"
        case let (nil, subject?): "\(subject): \(message)"
        case (nil, nil): message
        }
    }
}

/// A plan read from a file, with the task and baseline dates the file held.
public struct ImportedPlan: Hashable, Sendable {
    public var plan: ProjectPlan
    /// MSPDI only: the file's baselines in number order (Baseline, Baseline 1, ...), skipping unused numbers.
    public var baselines: [PlanBaseline]
    public var taskDates: [Int: TaskDates]
    public var report: [ImportNote]

    public init(plan: ProjectPlan, baselines: [PlanBaseline] = [], taskDates: [Int: TaskDates] = [:], report: [ImportNote] = []) {
        self.plan = plan
        self.baselines = baselines
        self.taskDates = taskDates
        self.report = report
    }
}

/// Why a file was refused. `message` is complete and names the line (and element or field).
public struct InterchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case tooLarge = "too large"
        case malformed
        case unknownCalendar = "unknown calendar"
        case missingTask = "missing task"
        case negativeDuration = "negative duration"
        case duplicateID = "duplicate id"
        case invalidValue = "invalid value"
    }

    public var reason: Reason
    public var format: PlanFormat
    public var line: Int?
    public var message: String

    public init(_ reason: Reason, _ format: PlanFormat, line: Int?, _ detail: String) {
        self.reason = reason
        self.format = format
        self.line = line
        let place = line.map { "\(format.title) line \($0)" } ?? format.title
        message = "\(place): \(detail)"
    }

    public var description: String { message }
}

public enum PlanReader {
    /// Files this size or larger are refused before parsing.
    public static let maximumBytes = 200 * 1024 * 1024

    /// Reads a plan. `projectCode` names the Waymark project it belongs to (files name projects
    /// their own way).
    public static func read(_ data: Data, format: PlanFormat, projectCode: String) throws(InterchangeError) -> ImportedPlan {
        guard data.count < maximumBytes else {
            throw InterchangeError(.tooLarge, format, line: nil,
                                   "the file is \(data.count) bytes; the limit is \(maximumBytes - 1) bytes (200 MiB)")
        }
        switch format {
        case .mspdi: return try MSPDIReader.read(data, projectCode: projectCode)
        case .xer: return try XERReader.read(data, projectCode: projectCode)
        case .csv: return try CSVReader.read(data, projectCode: projectCode)
        }
    }
}

public enum PlanWriter {
    /// Writes a plan. `taskDates` (e.g. a schedule) fill the formats' start and finish fields.
    public static func write(_ plan: ProjectPlan, format: PlanFormat, taskDates: [Int: TaskDates] = [:],
                             baselines: [PlanBaseline] = []) -> Data {
        switch format {
        case .mspdi: MSPDIWriter.write(plan, taskDates: taskDates, baselines: baselines)
        case .xer: XERWriter.write(plan, taskDates: taskDates, baselines: baselines)
        case .csv: CSVWriter.write(plan, taskDates: taskDates, baselines: baselines)
        }
    }

    /// What `write` would leave out of the file, to show before export.
    public static func omissions(_ plan: ProjectPlan, format: PlanFormat, baselines: [PlanBaseline] = []) -> [ImportNote] {
        switch format {
        case .mspdi: MSPDIWriter.omissions(plan, baselines: baselines)
        case .xer: XERWriter.omissions(plan, baselines: baselines)
        case .csv: CSVWriter.omissions(plan, baselines: baselines)
        }
    }
}
