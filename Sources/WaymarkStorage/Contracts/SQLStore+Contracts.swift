import WaymarkCore

extension SQLStore {
    static let contractsMigration = Migration(version: 14, name: "supplier contracts") { _ in
        [
            """
            CREATE TABLE supplier_contract (
                id BIGINT PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE,
                supplier_id BIGINT NOT NULL REFERENCES organisation(id),
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                depth INTEGER NOT NULL,
                starts_on INTEGER NOT NULL,
                ends_on INTEGER,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX supplier_contract_organisation ON supplier_contract (organisation_id)",
            "CREATE INDEX supplier_contract_supplier ON supplier_contract (supplier_id)",
            """
            CREATE TABLE supplier_contract_product (
                contract_id BIGINT NOT NULL REFERENCES supplier_contract(id),
                product_code TEXT NOT NULL REFERENCES product(code),
                PRIMARY KEY (contract_id, product_code)
            )
            """,
            "CREATE INDEX supplier_contract_product_code ON supplier_contract_product (product_code, contract_id)",
            "CREATE TABLE supplier_contract_day (id INTEGER PRIMARY KEY CHECK (id = 1), applied_through INTEGER NOT NULL)",
            // Coverage rows become open-ended contracts from the programme's start (2004-01-01),
            // for the products their supplier already delivers there.
            """
            INSERT INTO supplier_contract (id, reference, supplier_id, organisation_id, depth, starts_on)
            SELECT ROW_NUMBER() OVER (ORDER BY c.supplier_id, c.organisation_id), s.code || '-' || o.code, c.supplier_id,
                   c.organisation_id, CASE o.kind WHEN 'national' THEN 0 WHEN 'cluster' THEN 1 WHEN 'sha' THEN 2
                   WHEN 'lhc' THEN 3 WHEN 'trust' THEN 4 ELSE 5 END, 12418
            FROM supplier_coverage c JOIN organisation s ON s.id = c.supplier_id JOIN organisation o ON o.id = c.organisation_id
            """,
            """
            INSERT INTO supplier_contract_product (contract_id, product_code)
            SELECT DISTINCT k.id, p.product_code FROM supplier_contract k JOIN project p ON p.supplier_id = k.supplier_id
            AND (k.depth = 0 OR k.organisation_id IN (p.cluster_id, p.sha_id, p.lhc_id, p.trust_id, p.organisation_id))
            """,
            "DROP TABLE supplier_coverage",
        ]
    }

    static let contractColumns = "id, reference, supplier_id, organisation_id, depth, starts_on, ends_on, version"
    /// Tables that carry a copy of their project's supplier, for supplier scope.
    static let supplierCopies = ["project_document", "gate_decision", "tracking_item", "lesson"]

    static func contract(from row: SQLRow, products: [String]) -> SupplierContract {
        SupplierContract(id: row.int("id"), reference: row.string("reference"), supplierID: row.int("supplier_id"),
                         organisationID: row.int("organisation_id"), depth: Int(row.int("depth")), products: products,
                         startsOn: Day(ordinal: Int(row.int("starts_on"))),
                         endsOn: row.optionalInt("ends_on").map { Day(ordinal: Int($0)) }, version: Int(row.int("version")))
    }

    public func contracts(atAnyOf organisationIDs: [Int64]?, supplierID: Int64?) async throws -> [SupplierContract] {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let organisationIDs {
            guard !organisationIDs.isEmpty else { return [] }
            conditions.append("organisation_id IN (" + organisationIDs.map { _ in "?" }.joined(separator: ", ") + ")")
            binds += organisationIDs.map { .integer($0) }
        }
        if let supplierID {
            conditions.append("supplier_id = ?")
            binds.append(.integer(supplierID))
        }
        return try await contracts(where: conditions, binds)
    }

    public func contract(id: Int64) async throws -> SupplierContract? {
        try await contracts(where: ["id = ?"], [.integer(id)]).first
    }

    public func contract(reference: String) async throws -> SupplierContract? {
        try await contracts(where: ["reference = ?"], [.text(reference)]).first
    }

    private func contracts(where conditions: [String], _ binds: [SQLValue]) async throws -> [SupplierContract] {
        let rows = try await database.fetch("SELECT \(Self.contractColumns) FROM supplier_contract" + conditions.whereClause
                                            + " ORDER BY starts_on DESC, id DESC", binds)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0.int("id") }
        var products: [Int64: [String]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            let found = try await database.fetch(
                "SELECT contract_id, product_code FROM supplier_contract_product WHERE contract_id IN ("
                    + chunk.map { _ in "?" }.joined(separator: ", ") + ")", chunk.map { .integer($0) })
            for row in found { products[row.int("contract_id"), default: []].append(row.string("product_code")) }
        }
        return rows.map { Self.contract(from: $0, products: products[$0.int("id")] ?? []) }
    }

    public func writeContracts(ending: [SupplierContract], starting: [SupplierContract], today: Day,
                               audit: AuditRecord) async throws -> [SupplierContract] {
        for contract in starting where try await self.contract(reference: contract.reference) != nil {
            throw StorageError(.duplicate, "\(contract.reference) is already a contract's reference.")
        }
        var statements: [SQLStatement] = []
        for contract in ending {
            statements.append(SQLStatement(
                "UPDATE supplier_contract SET ends_on = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING version",
                [SQLValue(contract.endsOn.map { Int64($0.ordinal) }), .integer(contract.id), .integer(Int64(contract.version))],
                expectedRows: 1))
        }
        var saved: [SupplierContract] = []
        for (contract, id) in zip(starting, try await newIDs("supplier_contract", count: starting.count)) {
            var new = contract
            new.id = id
            new.version = 1
            statements.append(Self.insert("supplier_contract", Self.contractColumns.components, [
                .integer(id), .text(new.reference), .integer(new.supplierID), .integer(new.organisationID),
                .integer(Int64(new.depth)), .integer(Int64(new.startsOn.ordinal)), SQLValue(new.endsOn.map { Int64($0.ordinal) }),
                .integer(1)]))
            statements += new.products.map {
                SQLStatement("INSERT INTO supplier_contract_product (contract_id, product_code) VALUES (?, ?)", [.integer(id), .text($0)])
            }
            saved.append(new)
        }
        statements += try await supplierRederivation(covering: ending + saved, today: today)
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func contractsAppliedThrough() async throws -> Day? {
        try await database.fetch("SELECT applied_through FROM supplier_contract_day WHERE id = 1", [])
            .first.map { Day(ordinal: Int($0.int("applied_through"))) }
    }

    public func applyContracts(_ contracts: [SupplierContract], from: Day?, today: Day, audit: AuditRecord?) async throws {
        // The day row moves on only from the day this node read, so two nodes never both apply.
        let mark: SQLStatement = from.map {
            SQLStatement("UPDATE supplier_contract_day SET applied_through = ? WHERE id = 1 AND applied_through = ? RETURNING id",
                         [.integer(Int64(today.ordinal)), .integer(Int64($0.ordinal))], expectedRows: 1)
        } ?? SQLStatement("INSERT INTO supplier_contract_day (id, applied_through) VALUES (1, ?) ON CONFLICT DO NOTHING",
                          [.integer(Int64(today.ordinal))])
        let statements = [mark] + (try await supplierRederivation(covering: contracts, today: today))
        do {
            if let audit, !contracts.isEmpty {
                _ = try await writeAudited(statements, audits: [audit])
            } else {
                try await database.write(statements)
            }
        } catch let error as StorageError where error.code == .conflict {
            // Another node applied this day first; what it wrote is what this one would have.
            guard let applied = try await contractsAppliedThrough(), today <= applied else { throw error }
        }
    }

    /// The statements that set the supplier of every project `contracts` could cover, as of
    /// `day`, and copy it onto the project's records. Read this with SupplierContractRules.supplier.
    func supplierRederivation(covering contracts: [SupplierContract], today day: Day) async throws -> [SQLStatement] {
        guard !contracts.isEmpty else { return [] }
        let national = try await national()?.id ?? 0
        var scopes: [String] = []
        var scopeBinds: [SQLValue] = []
        for contract in contracts {
            let products = "product_code IN (" + contract.products.map { _ in "?" }.joined(separator: ", ") + ")"
            if contract.organisationID == national {
                scopes.append(products)
            } else {
                scopes.append("(\(products) AND ? IN (cluster_id, sha_id, lhc_id, trust_id, organisation_id))")
                scopeBinds.append(contentsOf: contract.products.map { .text($0) } + [.integer(contract.organisationID)])
                continue
            }
            scopeBinds.append(contentsOf: contract.products.map { .text($0) })
        }
        return Self.supplierRederivation(where: "(" + scopes.joined(separator: " OR ") + ")", scopeBinds, today: day, national: national)
    }

    /// The same, for projects matching `condition` (a condition on `project`'s own columns).
    static func supplierRederivation(where condition: String, _ binds: [SQLValue], today day: Day, national: Int64) -> [SQLStatement] {
        let derived = """
            (SELECT c.supplier_id FROM supplier_contract c JOIN supplier_contract_product cp ON cp.contract_id = c.id
             WHERE cp.product_code = project.product_code AND c.starts_on <= ? AND (c.ends_on IS NULL OR c.ends_on >= ?)
               AND c.organisation_id IN (?, project.cluster_id, project.sha_id, project.lhc_id, project.trust_id, project.organisation_id)
             ORDER BY c.depth DESC, c.id DESC LIMIT 1)
            """
        let derivedBinds: [SQLValue] = [.integer(Int64(day.ordinal)), .integer(Int64(day.ordinal)), .integer(national)]
        var statements = [SQLStatement(
            "UPDATE project SET supplier_id = \(derived) WHERE \(condition) AND COALESCE(supplier_id, 0) <> COALESCE(\(derived), 0)",
            derivedBinds + binds + derivedBinds)]
        for table in supplierCopies {
            let owner = "(SELECT p.supplier_id FROM project p WHERE p.id = \(table).project_id)"
            statements.append(SQLStatement(
                "UPDATE \(table) SET supplier_id = \(owner) WHERE project_id IN (SELECT id FROM project WHERE \(condition)) "
                    + "AND COALESCE(supplier_id, 0) <> COALESCE(\(owner), 0)", binds))
        }
        return statements
    }
}
