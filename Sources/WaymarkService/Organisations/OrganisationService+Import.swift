import Foundation
import WaymarkCore
import WaymarkStorage

/// Bulk import of the hierarchy from an ODS-style CSV (issue 13): a preview of what would be
/// added, changed, moved and closed, then the same plan applied as one audited change. All or
/// nothing; every rejected row is listed by line; the same file twice changes nothing.
extension OrganisationService {
    public static let maximumImportBytes = 32 * 1024 * 1024

    public struct ImportPreview: Sendable {
        public var plan: OrganisationImport.Plan
        /// Give this back to apply exactly what was shown.
        public var fingerprint: String
    }

    /// What importing `data` would do. Needs national scope: the file can touch any level.
    public func previewImport(_ data: Data, as user: ActingUser) async throws -> ImportPreview {
        try await requireNational(as: user)
        let (plan, _) = try await plan(data)
        return ImportPreview(plan: plan, fingerprint: Self.digest(plan.fingerprint))
    }

    /// Imports `data`. With `expectedFingerprint` (from a preview), refuses if the plan has
    /// changed since, so what is applied is what was shown.
    @discardableResult
    public func applyImport(_ data: Data, expectedFingerprint: String?, as user: ActingUser) async throws -> ImportPreview {
        try await requireNational(as: user)
        let (plan, existing) = try await plan(data)
        let applied = ImportPreview(plan: plan, fingerprint: Self.digest(plan.fingerprint))
        if let expectedFingerprint, expectedFingerprint != applied.fingerprint {
            throw ServiceError(.conflict, "The organisations changed since the preview, so the import would now do something else. Preview the file again.")
        }
        guard !plan.isEmpty else { return applied }
        let summary = "{\"file\":\"\(Secrets.sha256Hex([UInt8](data)))\",\"added\":\(plan.additions.count),\"changed\":\(plan.changes.count),"
            + "\"moved\":\(plan.moves.count),\"closed\":\(plan.closures.count)}"
        do {
            try await store.applyOrganisationImport(plan, existing: existing, today: gate.clock.today, audit: gate.auditRecord(
                "import organisations", entityType: Self.entityType, entityID: 0, after: summary, as: user))
        } catch let error as StorageError where error.code == .conflict || error.code == .duplicate {
            throw ServiceError(.conflict, "The organisations changed while the file was being imported, so nothing was imported. Import it again.")
        }
        return applied
    }

    /// Imports need `.manageOrganisations` with national scope: a file can touch every level.
    public func requireNational(as user: ActingUser) async throws {
        let scope = try await gate.authorise(.manageOrganisations, as: user)
        guard scope == .national else {
            throw ServiceError(.forbidden, "Importing organisations can touch every level, so it needs the national programme office.")
        }
    }

    /// The plan for the file against what is stored, or every reason it cannot be applied.
    func plan(_ data: Data) async throws -> (OrganisationImport.Plan, [String: Organisation]) {
        let records = try ImportRejected.records(data, maximumBytes: Self.maximumImportBytes)
        let existing = try await store.organisationsByCode()
        let byID = Dictionary(uniqueKeysWithValues: existing.values.map { ($0.id, $0) })
        let plan = OrganisationImport.plan(records, existing: existing, existingByID: byID)
        var problems = plan.problems.map { ImportProblem(line: $0.line, message: $0.message) }
        if problems.isEmpty { problems = try await closureProblems(plan, existing: existing) }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        return (plan, existing)
    }

    /// A closure needs nothing live below it once the whole file is applied: no project, and no
    /// child that stays open.
    func closureProblems(_ plan: OrganisationImport.Plan, existing: [String: Organisation]) async throws -> [ImportProblem] {
        var problems: [ImportProblem] = []
        guard !plan.closures.isEmpty else { return problems }
        let closing = Set(plan.closures.map(\.before.code))
        let moving = Set(plan.moves.map(\.before.code))
        // Children by parent, built once: a file may close many organisations.
        let children = Dictionary(grouping: existing.values.filter { $0.parentID != nil }, by: { $0.parentID! })
        for change in plan.closures {
            let projects = try await store.projectCount(within: change.before)
            if projects > 0 {
                problems.append(ImportProblem(line: change.row.line, message: "\(change.before.code) still has \(projects) implementation project\(projects == 1 ? "" : "s") below it; it cannot close."))
            }
            let openChildren = (children[change.before.id] ?? [])
                .filter { $0.closedOn == nil && !closing.contains($0.code) && !moving.contains($0.code) }
            let newChildren = plan.additions.filter { $0.parentCode == change.before.code && $0.closedOn == nil }
            if let child = openChildren.first?.code ?? newChildren.first?.code {
                problems.append(ImportProblem(line: change.row.line, message: "\(change.before.code) has open organisations below it (\(child)); close or move them first."))
            }
        }
        return problems
    }

    static func digest(_ text: String) -> String { Secrets.sha256Hex(Array(text.utf8)) }
}
