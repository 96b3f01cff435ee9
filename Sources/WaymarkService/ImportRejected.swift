import Foundation
import WaymarkInterchange

/// One problem in an imported file: the line its record starts on (1 is the header) and why.
public struct ImportProblem: Sendable, Hashable {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// Why an import (of a register, of organisations) saved nothing: every problem, by line.
public struct ImportRejected: Error, Sendable {
    public var problems: [ImportProblem]
    public init(problems: [ImportProblem]) { self.problems = problems }
    public var summary: String {
        "Nothing was imported: \(problems.count) problem\(problems.count == 1 ? "" : "s") in the file. Correct \(problems.count == 1 ? "it" : "them") and import the whole file again."
    }
}

extension ImportRejected {
    /// A file's CSV records with the line each starts on, formula guards undone, or the file
    /// rejected: over `maximumBytes`, or not CSV.
    static func records(_ data: Data, maximumBytes: Int) throws -> [(line: Int, cells: [String])] {
        guard data.count <= maximumBytes else {
            throw ImportRejected(problems: [ImportProblem(line: 1, message: "The file is over \(maximumBytes / 1_048_576) MB.")])
        }
        do {
            return try CSVTable.parse(data).map { ($0.line, $0.cells.map(CSVTable.unguarded)) }
        } catch {
            throw ImportRejected(problems: [ImportProblem(line: error.line ?? 1, message: "The file is not valid CSV: \(error.message)")])
        }
    }
}
