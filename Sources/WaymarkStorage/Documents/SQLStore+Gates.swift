import Foundation
import WaymarkCore

/// Stage gate decisions, their roll-up, the hazard log and safety-case sign-offs.
extension SQLStore {
    static let gateColumns = ["id"] + ownerColumns + ["stage", "outcome", "decided_by", "role", "reason", "decided_at", "evidence", "gaps"]

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decoded<T: Decodable>(_ type: T.Type, _ text: String, default value: T) -> T {
        (try? JSONDecoder().decode(type, from: Data(text.utf8))) ?? value
    }

    static func gate(from row: SQLRow) -> GateDecision {
        GateDecision(id: row.int("id"), owner: owner(from: row), stage: NSIStage(rawValue: Int(row.int("stage"))) ?? .prepare,
                     outcome: GateOutcome(rawValue: row.string("outcome")) ?? .passed, decidedBy: row.string("decided_by"),
                     role: row.optionalString("role").flatMap(Role.init(rawValue:)), reason: row.optionalString("reason"),
                     decidedAt: row.string("decided_at"), evidence: decoded([GateEvidence].self, row.string("evidence"), default: []),
                     gaps: decoded([String].self, row.string("gaps"), default: []))
    }

    public func gateDecisions(projectID: Int64) async throws -> [GateDecision] {
        try await database.fetch("SELECT \(Self.gateColumns.joined(separator: ", ")) FROM gate_decision WHERE project_id = ? ORDER BY stage",
                                 [.integer(projectID)]).map(Self.gate(from:))
    }

    public func recordGateDecision(_ decision: GateDecision, audit: AuditRecord) async throws -> GateDecision {
        let taken = try await database.fetch("SELECT id FROM gate_decision WHERE project_id = ? AND stage = ?",
                                             [.integer(decision.owner.projectID), .integer(Int64(decision.stage.rawValue))])
        guard taken.isEmpty else {
            throw StorageError(.duplicate, "The gate out of stage \(decision.stage.title) has already been decided for \(decision.owner.projectCode).")
        }
        var saved = decision
        saved.id = try await newID("gate_decision")
        let values: [SQLValue] = [.integer(saved.id)] + Self.ownerValues(saved.owner) + [
            .integer(Int64(saved.stage.rawValue)), .text(saved.outcome.rawValue), .text(saved.decidedBy), SQLValue(saved.role?.rawValue),
            SQLValue(saved.reason), .text(saved.decidedAt), .text(Self.json(saved.evidence)), .text(Self.json(saved.gaps)),
        ]
        // Audited against the project (the caller's entity), so it shows in the project's history.
        do {
            try await writeAudited([Self.insert("gate_decision", Self.gateColumns, values)], audit: audit)
        } catch let error as StorageError where error.code == .duplicate {
            throw StorageError(.duplicate, "The gate out of stage \(decision.stage.title) has already been decided for \(decision.owner.projectCode).")
        }
        return saved
    }

    public func gateRollUp(for organisation: Organisation, scope: AccessScope) async throws -> GateRollUp {
        // The subtree's condition, on rows that carry ancestry (projects, documents, gates).
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if organisation.kind == .supplier {
            conditions.append("supplier_id = ?")
            binds.append(.integer(organisation.id))
        } else if let column = Self.ancestryColumn(organisation.kind) {
            conditions.append("\(column) = ?")
            binds.append(.integer(organisation.id))
        }
        if let scoped = ScopeSQL.projects(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        let projects = try await database.fetch("SELECT COUNT(*) AS projects FROM project" + conditions.whereClause, binds)
            .first?.int("projects") ?? 0
        var gates: [NSIStage: (passed: Int, overridden: Int)] = [:]
        for row in try await database.fetch("SELECT stage, outcome, COUNT(*) AS decisions FROM gate_decision" + conditions.whereClause
                                                + " GROUP BY stage, outcome", binds) {
            guard let stage = NSIStage(rawValue: Int(row.int("stage"))) else { continue }
            var counts = gates[stage] ?? (0, 0)
            let decisions = Int(row.int("decisions"))
            if row.string("outcome") == GateOutcome.overridden.rawValue { counts.overridden += decisions } else { counts.passed += decisions }
            gates[stage] = counts
        }
        var signedOff: [String: Int] = [:]
        for row in try await database.fetch("SELECT product_code, COUNT(*) AS documents FROM project_document"
                                                + (conditions + ["signed_off_version IS NOT NULL"]).whereClause + " GROUP BY product_code", binds) {
            signedOff[row.string("product_code")] = Int(row.int("documents"))
        }
        return GateRollUp(projects: Int(projects), gates: gates, signedOff: signedOff)
    }

    static let hazardColumns = ["id"] + ownerColumns + ["title", "cause", "effect", "harm", "initial_severity", "initial_likelihood",
                                                        "controls", "residual_severity", "residual_likelihood", "status", "version"]

    static func hazard(from row: SQLRow) -> Hazard {
        Hazard(id: row.int("id"), owner: owner(from: row), title: row.string("title"), cause: row.string("cause"),
               effect: row.string("effect"), harm: row.string("harm"),
               initialSeverity: HazardSeverity(rawValue: Int(row.int("initial_severity"))) ?? .minor,
               initialLikelihood: HazardLikelihood(rawValue: Int(row.int("initial_likelihood"))) ?? .veryLow,
               controls: decoded([HazardControl].self, row.string("controls"), default: []),
               residualSeverity: HazardSeverity(rawValue: Int(row.int("residual_severity"))) ?? .minor,
               residualLikelihood: HazardLikelihood(rawValue: Int(row.int("residual_likelihood"))) ?? .veryLow,
               status: HazardStatus(rawValue: row.string("status")) ?? .open, version: Int(row.int("version")))
    }

    static func hazardValues(_ h: Hazard) -> [SQLValue] {
        [.integer(h.id)] + ownerValues(h.owner) + [
            .text(h.title), .text(h.cause), .text(h.effect), .text(h.harm), .integer(Int64(h.initialSeverity.rawValue)),
            .integer(Int64(h.initialLikelihood.rawValue)), .text(json(h.controls)), .integer(Int64(h.residualSeverity.rawValue)),
            .integer(Int64(h.residualLikelihood.rawValue)), .text(h.status.rawValue), .integer(Int64(h.version)),
        ]
    }

    public func hazards(projectID: Int64) async throws -> [Hazard] {
        try await database.fetch("SELECT \(Self.hazardColumns.joined(separator: ", ")) FROM hazard WHERE project_id = ? ORDER BY id",
                                 [.integer(projectID)]).map(Self.hazard(from:))
    }

    public func hazard(id: Int64, scope: AccessScope) async throws -> Hazard? {
        var conditions = ["id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = ScopeSQL.projects(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch("SELECT \(Self.hazardColumns.joined(separator: ", ")) FROM hazard" + conditions.whereClause, binds)
            .first.map(Self.hazard(from:))
    }

    public func saveHazard(_ hazard: Hazard, expectedVersion: Int?, audit: AuditRecord) async throws -> Hazard {
        if let expectedVersion {
            var saved = hazard
            saved.version = expectedVersion + 1
            let values = Self.hazardValues(saved)
            // Every column but id and the owner, then the version check.
            let settable = Array(Self.hazardColumns.dropFirst(1 + Self.ownerColumns.count))
            let assignments = settable.map { "\($0) = ?" }.joined(separator: ", ")
            try await writeAudited([SQLStatement(
                "UPDATE hazard SET \(assignments) WHERE id = ? AND version = ? RETURNING id",
                Array(values.dropFirst(1 + Self.ownerColumns.count)) + [.integer(hazard.id), .integer(Int64(expectedVersion))],
                expectedRows: 1), Self.refreshReadiness(projectID: hazard.owner.projectID)], audit: audit)
            return saved
        }
        var saved = hazard
        saved.id = try await newID("hazard")
        saved.version = 1
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([Self.insert("hazard", Self.hazardColumns, Self.hazardValues(saved)),
                                Self.refreshReadiness(projectID: saved.owner.projectID)], audit: audit)
        return saved
    }

    public func latestSafetySignOff(projectID: Int64) async throws -> SafetyCaseSignOff? {
        try await database.fetch(
            "SELECT id, project_id, signed_by, signed_at, log_hash, statement FROM safety_signoff WHERE project_id = ? ORDER BY id DESC LIMIT 1",
            [.integer(projectID)]).first.map { row in
            SafetyCaseSignOff(id: row.int("id"), projectID: row.int("project_id"), signedBy: row.string("signed_by"),
                              signedAt: row.string("signed_at"), logHash: row.string("log_hash"), statement: row.string("statement"))
        }
    }

    public func recordSafetySignOff(_ signOff: SafetyCaseSignOff, audit: AuditRecord) async throws -> SafetyCaseSignOff {
        var saved = signOff
        saved.id = try await newID("safety_signoff")
        var audit = audit
        audit.entityID = signOff.projectID
        try await writeAudited([Self.insert("safety_signoff", ["id", "project_id", "signed_by", "signed_at", "log_hash", "statement"],
                                            [.integer(saved.id), .integer(saved.projectID), .text(saved.signedBy), .text(saved.signedAt),
                                             .text(saved.logHash), .text(saved.statement)]),
                                Self.refreshReadiness(projectID: saved.projectID)], audit: audit)
        return saved
    }
}
