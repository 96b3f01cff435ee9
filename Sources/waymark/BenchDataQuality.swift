import Foundation
import WaymarkCore
import WaymarkService
import WaymarkSQLite
import WaymarkStorage

extension Bench {
    /// A data-quality check of a 1,000,000-row extract (issue 14), streamed from disk a megabyte
    /// at a time through the service into a scratch store, beside reading the same file with no
    /// checks. Memory is the process's peak resident size before and after the check.
    func benchDataQuality(into report: inout BenchReport) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-dq-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = 1_000_000
        let path = directory.appendingPathComponent("extract.csv").path
        print("[dq] writing a \(rows.formatted())-row extract ...")
        try Self.writeExtract(rows: rows, to: path)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        let store = try await SQLiteDatabase.openStore(path: directory.appendingPathComponent("dq.sqlite").path)
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        let demo = generator.generate()
        try await store.load(demo, progress: nil)
        guard let project = demo.projects.first(where: { $0.productCode == ProductCatalogue.crs }) else { return }
        let service = DataQualityService(programme: ProgrammeService(store: store))

        func stream(_ body: (Data) throws -> Void) throws {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
        }
        var bytes = 0
        let raw = try await time { try stream { bytes += $0.count } }
        precondition(bytes == size)
        let before = Self.peakResidentMiB()
        var counts = DataQualityCounts(source: .extract)
        let checked = try await time {
            counts = try await service.check(projectCode: project.code, as: .commandLine(origin: "bench")) { reader in
                try stream { chunk in try chunk.withUnsafeBytes { try reader.read($0) } }
            }.counts
        }
        let after = Self.peakResidentMiB()
        precondition(counts.records == rows, "expected \(rows) records, read \(counts.records)")
        report.add("sqlite", "data-quality check of \(rows.formatted()) rows (\(size / 1024 / 1024) MiB), streamed", checked, raw,
                   goal: "<= 5 s", pass: checked <= 5)
        report.rows.append(BenchReport.Row(backend: "memory", measure: "peak resident size across that check", waymark: "\(after) MiB",
                                           raw: "\(before) MiB before", ratio: "+\(after - before) MiB", goal: "bounded", verdict: ""))
    }

    /// NHS Numbers (about one in nine invalid, 1% missing, 0.5% repeated) with four demographic columns,
    /// some left empty; written a megabyte at a time.
    static func writeExtract(rows: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? handle.close() }
        var random = SplitMix64(seed: 14)
        var buffer = "NHS Number,Family name,Given name,Date of birth,Postcode\n"
        var last = "9434765919"
        for row in 0..<rows {
            var number: String
            let roll = random.below(200)
            if roll < 2 {
                number = ""
            } else if roll < 3 {
                number = last
            } else {
                let nine = (0..<9).map { _ in random.below(10) }
                let check = NHSNumber.checkDigit(nine)
                let tenth = roll < 7 || check == nil ? ((check ?? 0) + 1) % 10 : check!
                number = nine.map(String.init).joined() + String(tenth)
                last = number
            }
            let postcode = random.below(50) == 0 ? "" : "LS\(row % 30) \(row % 9)AB"
            buffer += "\(number),Family\(row % 997),\(random.below(40) == 0 ? "" : "Given\(row % 89)"),19\(50 + row % 50)-0\(1 + row % 9)-1\(row % 10),\(postcode)\n"
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }

    /// The process's peak resident set size so far, in MiB (Linux reports kilobytes).
    static func peakResidentMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}
