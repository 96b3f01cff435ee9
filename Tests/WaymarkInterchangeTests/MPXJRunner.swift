import Foundation
import WaymarkCore

/// Runs scripts/mpxj-check.py, which reads plan files with MPXJ (Java, through JPype) and prints
/// what MPXJ makes of them as JSON.
enum MPXJ {
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let hasJava = FileManager.default.isExecutableFile(atPath: "/usr/bin/java")
    static let hasPackages = (try? run(["python3", "-c", "import mpxj, jpype"]).status) == 0

    /// Under CI the MPXJ check always runs, so missing prerequisites fail it instead of skipping it.
    static let enabled = isCI || (hasJava && hasPackages)
    static let missing = "Java (/usr/bin/java) or the mpxj/JPype1 Python packages are missing: pip install mpxj JPype1"

    /// The package root, found from this file (through the symlinks of a scratch package).
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// MPXJ's view of `files`, with its own schedule of each.
    static func check(_ files: [URL]) throws -> Output {
        let script = root.appendingPathComponent("scripts/mpxj-check.py").path
        let result = try run(["python3", script, "--schedule"] + files.map(\.path))
        guard result.status == 0 else { throw Failure("mpxj-check.py exited \(result.status): \(result.error)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Output.self, from: result.output)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mpxj-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files, not pipes: a full stderr pipe would block the child while we read stdout.
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: out), String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Output: Decodable {
        var files: [File]
    }

    struct File: Decodable {
        var path: String
        var error: String?
        var scheduler: String?
        var tasks: [Task]?
    }

    struct Task: Decodable {
        var uniqueId: Int
        var name: String?
        var summary: Bool
        var milestone: Bool
        var durationDays: Double?
        var constraint: String?
        var constraintDate: String?
        var predecessors: [Link]
        var earlyStartTime: String?
        var earlyFinishTime: String?
    }

    struct Link: Decodable, Hashable {
        var predecessor: Int?
        var type: String?
        var lagDays: Double?
    }
}

/// A moment between working days: "the start of working day `day`". Waymark counts whole days
/// (a task works days start…finish; a milestone sits at the start of its day), while MPXJ keeps
/// times: a task finishing at 17:00 on Monday and a milestone at 08:00 on Tuesday are the same moment.
struct WorkingMoment: Hashable, CustomStringConvertible {
    let day: Day
    var description: String { "start of \(day)" }

    static func start(of day: Day, _ calendar: WorkingCalendar) -> WorkingMoment {
        WorkingMoment(day: calendar.isWorkingDay(day) ? day : calendar.adding(workingDays: 1, to: day))
    }

    static func end(of day: Day, _ calendar: WorkingCalendar) -> WorkingMoment {
        WorkingMoment(day: calendar.adding(workingDays: 1, to: day))
    }

    /// An MPXJ date-time ("2026-01-05T17:00"): before noon is the start of that day, after it the end.
    static func mpxj(_ text: String?, _ calendar: WorkingCalendar) -> WorkingMoment? {
        guard let text, let day = Day(iso: text.prefix(10)), let hour = Int(text.dropFirst(11).prefix(2)) else { return nil }
        return hour < 12 ? start(of: day, calendar) : end(of: day, calendar)
    }
}
