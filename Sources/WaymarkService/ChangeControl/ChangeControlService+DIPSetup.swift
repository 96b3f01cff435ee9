import Foundation
import WaymarkCore
import WaymarkStorage

/// Setting up a Detailed Implementation Plan (issue 13): create a draft for an LSP and a
/// financial year, then import its lines from CSV, linking each to the project it describes.
/// The supplier must hold a contract that covers each line's product at its site on its due
/// date. An agreed DIP takes no imports: only an approved CCN changes it, line by line.
extension ChangeControlService {
    public static let maximumDIPImportBytes = 8 * 1_048_576
    static let dipColumns = ["product", "site", "implementation", "due date"]

    public func createDIP(clusterCode: String, supplierCode: String, year: FinancialYear, as user: ActingUser) async throws -> DetailedImplementationPlan {
        let cluster = try await gate.organisation(code: clusterCode, for: .manageDIP, as: user).0
        guard cluster.kind == .cluster else {
            throw ValidationFailure([FieldError(field: "organisation", message: "A DIP is agreed for a cluster, not a \(cluster.kind.title).")])
        }
        guard let supplier = try await store.organisation(code: supplierCode.trimmedWhitespace.uppercased(), scope: .national),
              supplier.supplierRole == .lsp else {
            throw ValidationFailure([FieldError(field: "supplier", message: "'\(supplierCode.prefix(12))' is not a Local Service Provider.")])
        }
        let contracts = try await store.contracts(atAnyOf: [cluster.id], supplierID: supplier.id)
        guard contracts.contains(where: { $0.startsOn <= year.end && ($0.endsOn ?? year.end) >= year.start }) else {
            throw ValidationFailure([FieldError(field: "supplier", message: "\(supplier.name) holds no contract for \(cluster.name) during \(year.label).")])
        }
        do {
            return try await store.createDIP(DetailedImplementationPlan(id: 0, supplierID: supplier.id, clusterID: cluster.id, year: year),
                                             audit: audit("create DIP", "dip", 0, after: "{\"supplier\":\"\(supplier.code)\",\"year\":\"\(year.label)\"}", as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "\(supplier.name) already has a DIP for \(cluster.name) in \(year.label).")
        }
    }

    /// The lines a CSV file describes, checked; with `apply`, also added in one transaction.
    /// Columns: product, site, implementation (new-service, replacement or upgrade), due date,
    /// and optionally due milestone (go-live-completed by default).
    public func importDIPLines(organisationCode: String, dipID: Int64, _ data: Data, apply: Bool,
                               as user: ActingUser) async throws -> [DIPLine] {
        let (_, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .manageDIP, as: user)
        guard dip.state == .draft else {
            throw ServiceError(.conflict, "DIP \(dip.id) is agreed, so only an approved Change Control Note changes it, one line at a time.")
        }
        let records = try ImportRejected.records(data, maximumBytes: Self.maximumDIPImportBytes)
        guard let header = records.first?.cells.map({ $0.trimmedWhitespace.lowercased() }) else {
            throw ImportRejected(problems: [ImportProblem(line: 1, message: "The file is empty. Its first line names the columns: \(Self.dipColumns.joined(separator: ", ")).")])
        }
        let missing = Self.dipColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw ImportRejected(problems: [ImportProblem(line: 1, message: "The header lacks \(missing.joined(separator: ", ")).")])
        }
        let national = try await store.national()?.id ?? 0
        let contracts = try await store.contracts(atAnyOf: nil, supplierID: nil)
        let supplierName = try await store.organisation(id: dip.supplierID, scope: .national)?.name ?? "The supplier"
        var problems: [ImportProblem] = []
        var lines: [DIPLine] = []
        for record in records.dropFirst() {
            func cell(_ name: String) -> String {
                header.firstIndex(of: name).flatMap { $0 < record.cells.count ? record.cells[$0].trimmedWhitespace : nil } ?? ""
            }
            var errors: [FieldError] = []
            let product = cell("product").uppercased()
            if ProductCatalogue.product(code: product) == nil { errors.append(FieldError(field: "product", message: "'\(product.prefix(12))' is not a product.")) }
            let implementation = ImplementationKind(rawValue: cell("implementation").lowercased())
            if implementation == nil { errors.append(FieldError(field: "implementation", message: "The implementation is new-service, replacement or upgrade.")) }
            let due = Day(iso: cell("due date"))
            if due == nil { errors.append(FieldError(field: "due", message: "Give the due date as YYYY-MM-DD.")) }
            let milestone = cell("due milestone").isEmpty ? MilestoneKind.goLiveCompleted : MilestoneKind(rawValue: cell("due milestone").lowercased())
            if milestone == nil { errors.append(FieldError(field: "dueMilestone", message: "'\(cell("due milestone").prefix(40))' is not a milestone.")) }
            var line = DIPLine(dipID: dip.id, number: 0, productCode: product, organisationID: 0, ancestry: Ancestry(),
                               implementation: implementation ?? .newService, dueMilestone: milestone ?? .goLiveCompleted, dueDate: due ?? dip.year.start)
            try await place(&line, at: cell("site").uppercased(), in: dip, scope: scope, errors: &errors)
            if errors.isEmpty, let due {
                // The deepest contract in force on the due date decides who delivers it there.
                if SupplierContractRules.supplier(of: product, at: line.ancestry, nationalID: national, on: due, among: contracts) != dip.supplierID {
                    errors.append(FieldError(field: "site", message: "\(supplierName) is not contracted to deliver \(product) at \(line.organisationCode) on \(due.iso)."))
                }
                errors += DIPRules.validate(line, in: dip.year)
            }
            if errors.isEmpty {
                // The project it describes: the live one of that product at that site, if any.
                let releases = try await store.releases(organisationID: line.organisationID, productCode: product)
                line.projects = releases.filter(\.isLive).suffix(1).map(ProjectRef.init)
                lines.append(line)
            }
            problems += errors.map { ImportProblem(line: record.line, message: $0.message) }
        }
        if records.count < 2 { problems.append(ImportProblem(line: 1, message: "The file has no lines after its header.")) }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        guard apply else { return lines }
        do {
            return try await store.addDIPLines(lines, to: dip, audit: audit(
                "import DIP lines", "dip", dip.id, after: "{\"lines\":\(lines.count),\"linked\":\(lines.filter { !$0.projects.isEmpty }.count)}", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.staleDIP()
        }
    }
}
