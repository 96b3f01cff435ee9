import ArgumentParser
import Foundation
import WaymarkBenchmarks
import WaymarkCore
import WaymarkInterchange
import WaymarkService
import WaymarkSQLite
import WaymarkStorage

extension Bench {
    /// Plans: the critical path on a 100,000-task network against a plain longest-path pass,
    /// MS Project XML read and write at 10,000 tasks, and the Gantt at 500 tasks.
    func benchPlans(into report: inout BenchReport) async throws {
        print("[plans] generating a 100,000-task network with 150,000 dependencies ...")
        let network = SchedulingBenchmark.network(tasks: 100_000, dependencies: 150_000, seed: 2026)
        let cpm = try await median(max(5, iterations / 4)) { _ = try Scheduler.schedule(network) }
        let pass = try await median(max(5, iterations / 4)) { _ = SchedulingBenchmark.baselinePass(network) }
        report.add("plans", "critical path, 100k tasks / 150k links", cpm, pass, goal: "<= 100 ms", pass: cpm <= 0.1)
        report.rows[report.rows.count - 1].raw += " (plain pass)"

        let plan = InterchangeBenchmark.plan(tasks: 10_000)
        let dates = InterchangeBenchmark.dates(for: plan)
        var xml = Data()
        let write = try await median(5) { xml = PlanWriter.write(plan, format: .mspdi, taskDates: dates) }
        let read = try await median(5) { _ = try PlanReader.read(xml, format: .mspdi, projectCode: plan.projectCode) }
        // The yardstick: one pass over the file's bytes, counting tags.
        let copy = try await median(5) {
            _ = xml.withUnsafeBytes { bytes in bytes.reduce(0) { $0 &+ ($1 == 0x3C ? 1 : 0) } }
        }
        report.add("plans", "MS Project XML write, 10k tasks (\(xml.count / 1024) KiB)", write, copy, goal: nil, pass: nil)
        report.rows[report.rows.count - 1].raw += " (byte scan)"
        report.add("plans", "MS Project XML read, 10k tasks", read, copy, goal: nil, pass: nil)
        report.rows[report.rows.count - 1].raw += " (byte scan)"
        if let mpxj = try mpxjTimes(xml) {
            report.add("plans", "MPXJ read + write of the same file", mpxj, read + write, goal: "Waymark <= MPXJ", pass: read + write <= mpxj)
            report.rows[report.rows.count - 1].raw += " (Waymark)"
        } else {
            print("[plans] Java or the mpxj Python package is missing; skipping the MPXJ comparison (pip install mpxj JPype1).")
        }

        try await benchGantt(into: &report)
    }

    /// The plan page of a 500-task plan as served (read, schedule, Gantt SVG) against the
    /// server's cheapest answer, GET /health, on the demo programme in a scratch SQLite file.
    func benchGantt(into report: inout BenchReport) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-gantt-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SQLStore(database: try SQLiteDatabase(path: directory.appendingPathComponent("gantt.sqlite").path))
        try await store.migrate()
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        let dataset = generator.generate()
        try await store.load(dataset) { _, _ in }
        guard let project = dataset.projects.first(where: { $0.type == .lsp }) else {
            throw ValidationError("The demo programme has no LSP project.")
        }
        let plans = PlanService(programme: ProgrammeService(store: store, clock: .fixed(today)))
        let cli = ActingUser.commandLine(origin: "bench")
        let gantt = InterchangeBenchmark.plan(tasks: 500)
        let file = PlanWriter.write(gantt, format: .mspdi, taskDates: InterchangeBenchmark.dates(for: gantt))
        _ = try await plans.importPlan(code: project.code, data: file, format: .mspdi, expectedVersion: nil, as: cli)
        let pages = try await PageClient.start(store: store, clock: .fixed(today))
        defer { pages.stop() }
        let size = try await pages.get("/projects/\(project.code)/plan")
        print("[plans] plan page of \(project.code): \(size / 1024) KiB")
        let page = try await median(max(5, iterations / 4)) { _ = try await pages.get("/projects/\(project.code)/plan") }
        let health = try await median(max(5, iterations / 4)) { _ = try await pages.get("/health") }
        report.add("plans", "plan page with Gantt SVG, 500 tasks, served", page, health, goal: "<= 50 ms", pass: page <= 0.05)
        report.rows[report.rows.count - 1].raw += " (GET /health)"
    }

    /// Seconds MPXJ takes to read and write `xml`, timed inside the JVM by scripts/mpxj-check.py.
    func mpxjTimes(_ xml: Data) throws -> Double? {
        let script = URL(fileURLWithPath: "scripts/mpxj-check.py")
        guard FileManager.default.fileExists(atPath: script.path),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/java") else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-\(UUID().uuidString).xml")
        try xml.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--time", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = output.split(separator: "\n").last(where: { $0.hasPrefix("seconds ") }) else { return nil }
        return Double(line.dropFirst("seconds ".count))
    }
}
