import Foundation
import WaymarkCore
import WaymarkPostgres
import WaymarkSQLite
import WaymarkStorage

enum Environment {
    static func value(_ name: String) -> String? {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }
}

/// Opens whichever backend the URL names and brings its schema up to date.
enum StoreOpener {
    /// `connectionWait` bounds how long a PostgreSQL request waits for a pooled connection.
    static func open(_ text: String, connectionWait: Duration = PostgresDatabase.defaultConnectionWait) async throws -> SQLStore {
        switch try DatabaseURL(parsing: text) {
        case .sqlite(let path): try await SQLiteDatabase.openStore(path: path)
        case .postgres(let address): try await PostgresDatabase.openStore(address, connectionWait: connectionWait)
        }
    }
}

/// A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (CI logs).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private let started = Date()
    private var lastShown = -1
    private let interactive = isatty(2) != 0
    private let unit: String

    init(_ label: String, unit: String = "rows") {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastShown, interactive || percent / 10 != lastShown / 10 || percent == 100 else { return }
        lastShown = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\(label) [\(bar)] \(percent)% \(done.formatted())/\(total.formatted()) \(unit), \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + line + (interactive ? "" : "\n")).utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Today in England, for generated data and rules.
var today: Day {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
}
