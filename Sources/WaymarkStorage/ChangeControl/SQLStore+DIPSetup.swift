import WaymarkCore

/// Creating a DIP and importing its lines (issue 13).
extension SQLStore {
    /// Adds a draft DIP; one per supplier, cluster and year (`.duplicate` otherwise).
    public func createDIP(_ dip: DetailedImplementationPlan, audit: AuditRecord) async throws -> DetailedImplementationPlan {
        var saved = dip
        saved.id = try await newID("dip")
        saved.version = 1
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([Self.insert("dip", Self.dipColumns, Self.dipValues(saved))], audit: audit)
        return saved
    }

    /// Adds every line to a DIP still at `expectedVersion` and in draft, numbered after its
    /// last, with their linked projects: one transaction, one audit entry.
    public func addDIPLines(_ lines: [DIPLine], to dip: DetailedImplementationPlan, audit: AuditRecord) async throws -> [DIPLine] {
        guard !lines.isEmpty else { return [] }
        var saved = lines
        let ids = try await newIDs("dip_line", count: lines.count)
        let numbers = try await nextNumbers("dip_line", "number", parent: "dip_id", owner: dip.id, count: lines.count)
        for index in saved.indices {
            saved[index].id = ids[index]
            saved[index].number = numbers[index]
            saved[index].version = 1
        }
        // The DIP must still be the draft that was read: its version moves on, so a concurrent
        // import or agreement makes this one fail rather than interleave numbers.
        var statements = [SQLStatement("UPDATE dip SET version = version + 1 WHERE id = ? AND version = ? AND state = 'draft' RETURNING id",
                                       [.integer(dip.id), .integer(Int64(dip.version))], expectedRows: 1)]
        statements += Self.chunkedInsert("dip_line", Self.dipLineColumns, saved.map { Self.dipLineValues($0, supplierID: dip.supplierID, year: dip.year) })
        statements += Self.chunkedInsert("dip_line_project", ["line_id", "project_id"],
                                         saved.flatMap { line in line.projects.map { [.integer(line.id), .integer($0.id)] } })
        try await writeAudited(statements, audit: audit)
        return saved
    }
}
