import Foundation
import WaymarkCore
import WaymarkStorage

/// Results from a learning-management system, as CSV: staff number, organisation, course,
/// result (pass or fail) and date. All or nothing, every problem by line; a file with patient
/// identifiers is refused outright.
extension TrainingService {
    public static let maximumImportBytes = 64 * 1024 * 1024
    static let importColumns = ["staff number", "organisation", "course", "result", "date"]

    public func importResults(_ data: Data, as user: ActingUser) async throws -> Int {
        let scope = try await gate.authorise(.manageTraining, as: user)
        let rows = try ImportRejected.records(data, maximumBytes: Self.maximumImportBytes)
        var problems: [ImportProblem] = []
        func fail(_ line: Int, _ message: String) { problems.append(ImportProblem(line: line, message: message)) }
        guard let header = rows.first else { throw ImportRejected(problems: [ImportProblem(line: 1, message: "The file is empty.")]) }
        if let column = PatientDataGuard.patientColumn(header: header.cells, rows: rows.dropFirst().map(\.cells)) {
            throw ImportRejected(problems: [ImportProblem(line: header.line, message: PatientDataGuard.refusal(column))])
        }
        let names = header.cells.map(OrganisationImport.normalisedColumn)
        let missing = Self.importColumns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw ImportRejected(problems: [ImportProblem(line: header.line, message: "The file has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column. "
                                                          + "Columns needed: \(Self.importColumns.joined(separator: ", ")).")])
        }
        let organisations = try await staff.reachable(scope)
        let courses = try await calculator.courses()
        var wanted: [(line: Int, organisationID: Int64, number: String, course: String, passed: Bool, on: Day)] = []
        for record in rows.dropFirst() where !record.cells.allSatisfy({ $0.trimmedWhitespace.isEmpty }) {
            guard record.cells.count == names.count else {
                fail(record.line, "This row has \(record.cells.count) cells but the header has \(names.count).")
                continue
            }
            var cell: [String: String] = [:]
            for (name, value) in zip(names, record.cells) { cell[name] = value.trimmedWhitespace }
            let organisation = organisations[(cell["organisation"] ?? "").uppercased()]
            let number = cell["staff number"]?.uppercased() ?? ""
            let course = TrainingRules.courseCode(cell["course"] ?? "").flatMap { courses[$0] }
            let passed: Bool? = switch (cell["result"] ?? "").lowercased() {
            case "pass", "passed", "p": true
            case "fail", "failed", "f": false
            default: nil
            }
            let day = Day(iso: cell["date"] ?? "")
            if organisation == nil { fail(record.line, "There is no organisation '\((cell["organisation"] ?? "").prefix(20))' that you can reach.") }
            if number.isEmpty { fail(record.line, "Give the person's staff number.") }
            if course == nil { fail(record.line, "There is no course '\((cell["course"] ?? "").prefix(30))'.") }
            if passed == nil { fail(record.line, "The result is pass or fail.") }
            if day == nil { fail(record.line, "Give the date as YYYY-MM-DD.") } else if day! > today { fail(record.line, "The date \(day!.iso) is in the future.") }
            if let organisation, !number.isEmpty, let course, let passed, let day, day <= today {
                wanted.append((record.line, organisation.id, number, course.code, passed, day))
            }
        }
        let numbers = try await store.staffNumbers(organisationIDs: Array(Set(wanted.map(\.organisationID))))
        var results: [TrainingResult] = []
        for row in wanted {
            guard let id = numbers[row.organisationID]?[row.number] else {
                fail(row.line, "No one at that organisation has the staff number \(row.number.prefix(20)).")
                continue
            }
            results.append(TrainingResult(staffID: id, courseCode: row.course, passed: row.passed, on: row.on, source: .lms))
        }
        if results.isEmpty && problems.isEmpty { fail(header.line, "The file lists no results.") }
        guard problems.isEmpty else { throw ImportRejected(problems: problems.sorted { $0.line < $1.line }) }
        let people = try await store.staffMembers(ids: Array(Set(results.map(\.staffID))))
        let statuses = try await calculator.updates(people) { records in
            for result in results { records[result.staffID, default: PersonRecords()].results.append(result) }
        }
        do {
            try await store.addTrainingResults(results, statuses: statuses, audit: gate.auditRecord(
                "import training results", entityType: Self.entityType, entityID: 0,
                after: "{\"results\":\(results.count),\"file\":\"\(Secrets.sha256Hex([UInt8](data)))\"}", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError.staffMoved
        }
        return results.count
    }
}
