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
