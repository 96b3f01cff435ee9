import Foundation
import WaymarkCore
import WaymarkStorage

/// A survey filled in elsewhere (a spreadsheet on a site visit) and imported as CSV: columns
/// question, rating, count, finding, action, owner, due. A question's further rows add actions.
/// The file replaces the answers, all or nothing, and every problem is reported by line.
extension SurveyService {
    public static let maximumImportBytes = 1_048_576
    static let csvColumns = ["question", "rating", "count", "finding", "action", "owner", "due"]

    public func importCSV(projectCode: String, kind: String, _ data: Data, expectedVersion: Int?, as user: ActingUser) async throws -> SurveyResponse {
        let surveyKind = try Self.kind(kind)
        _ = try await gate.project(code: projectCode, for: .recordReadiness, as: user)
        let records = try ImportRejected.records(data, maximumBytes: Self.maximumImportBytes)
        guard let header = records.first else {
            throw ImportRejected(problems: [ImportProblem(line: 1, message: "The file is empty. Its first line names the columns: \(Self.csvColumns.joined(separator: ", ")).")])
        }
        let columns = header.cells.map { $0.trimmedWhitespace.lowercased() }
        guard columns.contains("question") else {
            throw ImportRejected(problems: [ImportProblem(line: header.line, message: "The file has no 'question' column. Columns: \(Self.csvColumns.joined(separator: ", ")).")])
        }
        var problems: [ImportProblem] = []
        var answers: [String: SurveyInput.Answer] = [:]
        var lineOf: [String: Int] = [:]
        let catalogue = SurveyCatalogue.latest
        for record in records.dropFirst() where !record.cells.allSatisfy({ $0.trimmedWhitespace.isEmpty }) {
            var cell: [String: String] = [:]
            for (name, value) in zip(columns, record.cells) where !value.trimmedWhitespace.isEmpty { cell[name] = value.trimmedWhitespace }
            guard let id = cell["question"], catalogue.question(surveyKind, id: id) != nil else {
                problems.append(ImportProblem(line: record.line, message: "'\(cell["question"]?.prefix(40) ?? "")' is not a question of the \(surveyKind.title)."))
                continue
            }
            var answer = answers[id] ?? SurveyInput.Answer()
            if lineOf[id] == nil {
                lineOf[id] = record.line
                answer.rating = cell["rating"]
                answer.count = cell["count"]
                answer.finding = cell["finding"]
            } else if cell["rating"] != nil || cell["count"] != nil || cell["finding"] != nil {
                problems.append(ImportProblem(line: record.line, message: "\(id) is answered on line \(lineOf[id]!); a further row may add only an action."))
            }
            if cell["action"] != nil || cell["owner"] != nil || cell["due"] != nil {
                answer.actions.append((text: cell["action"] ?? "", owner: cell["owner"] ?? "", due: cell["due"] ?? ""))
            }
            answers[id] = answer
        }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        do {
            return try await save(projectCode: projectCode, kind: kind, SurveyInput(answers: answers), expectedVersion: expectedVersion, as: user)
        } catch let failure as ValidationFailure {
            // Name the line of the question each error is about.
            throw ImportRejected(problems: failure.errors.map { error in
                let id = lineOf.keys.first { error.field.hasPrefix("answer.\($0).") }
                return ImportProblem(line: id.flatMap { lineOf[$0] } ?? 1, message: error.message)
            }.sorted { $0.line < $1.line })
        }
    }
}
