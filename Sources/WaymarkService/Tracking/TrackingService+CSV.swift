import Foundation
import WaymarkCore
import WaymarkInterchange
import WaymarkStorage

/// A register as CSV, out and back in. An import is all or nothing: every rejected row is
/// reported with its line and reason, and then nothing is saved.
extension TrackingService {
    public static let csvColumns = ["reference"] + TrackingFields.csvNames
    public static let maximumImportRows = 10_000

    /// The register's records (with `below`, its subtree's) as CSV, formula-safe.
    public func exportCSV(_ reference: RegisterReference, below: Bool, as user: ActingUser) async throws -> String {
        let register = try await register(reference, for: .exportRecords, as: user)
        let scope = try await gate.authorise(.exportRecords, as: user)
        var query = query(in: register, filter: TrackingQuery(limit: 500), below: below, scope: scope)
        var lines = [Self.csvColumns.joined(separator: ",")]
        repeat {
            let page = try await store.trackingItems(query)
            for item in page.items {
                let values = TrackingFields.values(of: item)
                lines.append(([item.reference] + TrackingFields.csvNames.map { values[$0] ?? "" }).map(ProjectCSV.escape).joined(separator: ","))
            }
            query.after = page.nextCursor
        } while query.after != nil
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public typealias ImportProblem = WaymarkService.ImportProblem
    public typealias ImportRejected = WaymarkService.ImportRejected

    public struct ImportOutcome: Sendable {
        public var added: Int
        public var updated: Int
        public var unchanged: Int
    }

    /// Rows with no reference are added; rows naming one of this register's records update it.
    public func importCSV(_ data: Data, into reference: RegisterReference, as user: ActingUser) async throws -> ImportOutcome {
        let register = try await register(reference, for: .recordRisks, as: user)
        let scope = try await gate.authorise(.recordRisks, as: user)
        let records: [CSVTable.Record]
        do {
            records = try CSVTable.parse(data)
        } catch {
            throw ImportRejected(problems: [ImportProblem(line: error.line ?? 1, message: "The file is not valid CSV: \(error.message)")])
        }
        guard let header = records.first else {
            throw ImportRejected(problems: [ImportProblem(line: 1, message: "The file is empty: it needs a header row and at least one record.")])
        }
        let columns = header.cells.map { $0.trimmedWhitespace }
        var problems: [ImportProblem] = []
        let unknown = columns.filter { !Self.csvColumns.contains($0) }
        if !unknown.isEmpty {
            problems.append(ImportProblem(line: header.line, message: "Unknown column\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")). Columns: \(Self.csvColumns.joined(separator: ", "))."))
        }
        if !columns.contains("title") { problems.append(ImportProblem(line: header.line, message: "The header needs a title column.")) }
        if Set(columns).count != columns.count { problems.append(ImportProblem(line: header.line, message: "A column appears twice in the header.")) }
        if records.count - 1 > Self.maximumImportRows {
            problems.append(ImportProblem(line: records[Self.maximumImportRows + 1].line, message: "A file holds at most \(Self.maximumImportRows) records; split it."))
        }
        if records.count == 1 { problems.append(ImportProblem(line: header.line, message: "The file has a header but no records.")) }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }

        var changes: [(item: TrackingItem, before: TrackingItem?)] = []
        var unchanged = 0
        var seen: [Int64: Int] = [:]
        for record in records.dropFirst() {
            guard record.cells.count == columns.count else {
                problems.append(ImportProblem(line: record.line, message: "This row has \(record.cells.count) cells but the header has \(columns.count)."))
                continue
            }
            var fields: [String: String] = [:]
            for (name, cell) in zip(columns, record.cells) { fields[name] = CSVTable.unguarded(cell) }
            let referenceText = fields.removeValue(forKey: "reference")?.trimmedWhitespace ?? ""
            do {
                let entry = try RegisterEntry(csvRow: fields)
                if referenceText.isEmpty {
                    changes.append((try draft(in: register, entry), nil))
                    continue
                }
                guard let id = Self.id(fromReference: referenceText),
                      let current = try await store.trackingItem(id: id, scope: scope), current.owner == register.owner else {
                    throw ServiceError(.refused, "\(referenceText) is not a record of this register; leave the reference empty to add a new one.")
                }
                if let earlier = seen[id] { throw ServiceError(.refused, "\(referenceText) also appears on line \(earlier).") }
                seen[id] = record.line
                var item = current
                let errors = TrackingFields.apply(entry.fields, actions: entry.actions, to: &item, isNew: false)
                guard errors.isEmpty else { throw ValidationFailure(errors) }
                if item == current { unchanged += 1 } else { changes.append((item, current)) }
            } catch let failure as ValidationFailure {
                problems += failure.errors.map { ImportProblem(line: record.line, message: "\($0.field): \($0.message)") }
            } catch let error as ServiceError where error.kind == .refused {
                problems.append(ImportProblem(line: record.line, message: error.message))
            }
        }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        if !changes.isEmpty {
            _ = try await save(changes, action: "import: update", newAction: "import: raise", as: user)
        }
        let added = changes.filter { $0.before == nil }.count
        return ImportOutcome(added: added, updated: changes.count - added, unchanged: unchanged)
    }

    /// "R-000042" or "I-42" or "42".
    static func id(fromReference text: String) -> Int64? {
        let upper = text.uppercased()
        let digits = upper.hasPrefix("R-") || upper.hasPrefix("I-") ? String(upper.dropFirst(2)) : upper
        return Int64(digits).flatMap { $0 > 0 ? $0 : nil }
    }
}
