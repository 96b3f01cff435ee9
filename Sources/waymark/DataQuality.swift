import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService

struct DataQualityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dq", abstract: "Data-quality checks of NHS Numbers (issue 14).", subcommands: [DataQualityCheckCommand.self])
}

/// Streams an extract from disk into the reader a megabyte at a time, with a progress bar; only
/// the counts are saved (and printed). The file itself is never copied anywhere.
struct DataQualityCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check an extract (CSV with an NHS Number column) or a list of NHS Numbers for a project.",
        discussion: "Reports valid, invalid, missing and duplicate NHS Numbers and each demographic column's empty cells. Only these counts are kept.")
    @Argument(help: "The extract: a CSV file with an 'NHS Number' column, or one number per line.") var file: String
    @Option(help: "The project's code.") var project: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("Cannot read \(file).") }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard size <= DataQualityService.maximumBytes else {
            throw ValidationError("\(file) is \(size / 1024 / 1024) MiB; extracts are limited to \(DataQualityService.maximumBytes / 1024 / 1024) MiB. Split it.")
        }
        let store = try await StoreOpener.open(options.url)
        let bar = ProgressBar("Checking", unit: "bytes")
        let started = Date()
        let check = try await DataQualityService(programme: ProgrammeService(store: store)).check(projectCode: project, as: .commandLine()) { reader in
            var done = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try reader.read($0) }
                done += chunk.count
                bar.update(done, size)
            }
        }
        bar.finish()
        let c = check.counts
        print("\(project): \(c.records.formatted()) records (\(c.source.rawValue)) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        print("  valid NHS Numbers \(c.valid.formatted()) (\(String(format: "%.1f", Double(c.validPerMille) / 10))%), invalid \(c.invalid.formatted()), "
              + "missing \(c.missing.formatted()), duplicates \(c.duplicates.formatted())\(c.malformedRows > 0 ? ", malformed rows \(c.malformedRows.formatted())" : "")")
        for field in c.fields where field.missing > 0 { print("  \(field.name): \(field.missing.formatted()) empty") }
        print("Only these counts were saved (check \(check.id)); nothing from the file was kept.")
    }
}
