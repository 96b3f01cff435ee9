import Foundation
import WaymarkCore
import WaymarkStorage

/// NSI products under document control (guide §4.6.5): upload versions, start from a template,
/// review, approve (by the product's approver role, never the author), issue, withdraw.
/// Authorisation goes through `AccessGate`; every change is audited in its transaction.
public struct DocumentService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    /// The largest file a version may be (`DocumentUpload.defaultMaximumBytes`, 10 MiB).
    public var maximumBytes: Int
    let store: any DocumentRepository & TrackingRepository & PlanRepository & AccountRepository & OrganisationRepository & ProjectRepository & AuditRepository

    public init(programme: ProgrammeService, maximumBytes: Int = DocumentUpload.defaultMaximumBytes) {
        gate = programme.gate
        store = programme.store
        self.maximumBytes = maximumBytes
    }

    // MARK: Reads

    /// One catalogue product on the project, with its document if there is one.
    public struct ProductStatus: Sendable {
        public var product: NSIProduct
        public var mandatory: Bool
        public var document: ProjectDocument?
    }

    public struct ProjectDocumentsView: Sendable {
        public var project: ImplementationProject
        public var catalogue: NSIProductCatalogueVersion
        public var products: [ProductStatus]
        /// Documents of products the project's catalogue version no longer lists.
        public var others: [ProjectDocument]
        /// What applying the latest catalogue would change, when the project is on an older one.
        public var newerCatalogue: CatalogueDiff?
        public var canManage: Bool
    }

    public func projectDocuments(projectCode: String, as user: ActingUser) async throws -> ProjectDocumentsView {
        let project = try await gate.project(code: projectCode, for: .viewRecords, as: user).0.project
        let catalogue = try await catalogue(for: project)
        let documents = try await store.documents(projectID: project.id)
        let byCode = Dictionary(documents.map { ($0.productCode, $0) }, uniquingKeysWith: { a, _ in a })
        let products = catalogue.products.map { ProductStatus(product: $0, mandatory: $0.isMandatory(for: project.type), document: byCode[$0.code]) }
        let listed = Set(catalogue.products.map(\.code))
        let latest = NSIProductCatalogue.latest
        return ProjectDocumentsView(
            project: project, catalogue: catalogue, products: products, others: documents.filter { !listed.contains($0.productCode) },
            newerCatalogue: latest.number > catalogue.number ? CatalogueDiff(from: catalogue, to: latest) : nil,
            canManage: user.permits(.manageDocuments))
    }

    func catalogue(for project: ImplementationProject) async throws -> NSIProductCatalogueVersion {
        let number = try await store.catalogueVersion(projectID: project.id)
        return NSIProductCatalogue.version(number) ?? NSIProductCatalogue.latest
    }

    public struct VersionView: Sendable {
        public var version: DocumentVersion
        public var comments: [ReviewComment]
        /// The approval no longer matches the stored bytes or the recorded hash.
        public var approvalVoid: Bool
        /// The actions the actor may try on this version now.
        public var actions: [DocumentAction]
    }

    public struct DocumentView: Sendable {
        public var document: ProjectDocument
        public var product: NSIProduct
        public var versions: [VersionView]
        public var history: [AuditRecord]
        public var canManage: Bool
        public var latest: DocumentVersion? { versions.first?.version }
    }

    /// The document's page. After a write, `saved` is the record as that write committed it, so
    /// the answer shows this write's state even when another has landed since.
    public func documentView(id: Int64, showing saved: DocumentRecord? = nil, as user: ActingUser) async throws -> DocumentView {
        var record = try await scopedRecord(id: id, as: user)
        if let saved, saved.document.id == id { record = saved }
        let product = try Self.product(of: record.document)
        var versions: [VersionView] = []
        for version in record.versions {
            var void = false
            if version.approval != nil { void = version.approvalIsVoid(storedHash: try await storedHash(version.contentHash)) }
            versions.append(VersionView(version: version, comments: record.comments.filter { $0.versionID == version.id },
                                        approvalVoid: void, actions: actions(on: version, latest: record.document.latestVersion, user: user)))
        }
        let history = try await store.auditEntries(AuditQuery(entityType: "document", entityID: id, changesOnly: true, limit: 50)).items
        return DocumentView(document: record.document, product: product, versions: versions, history: history,
                            canManage: user.permits(.manageDocuments))
    }

    func actions(on version: DocumentVersion, latest: Int, user: ActingUser) -> [DocumentAction] {
        DocumentAction.allCases.filter { action in
            guard (try? DocumentRules.next(version.state, action, version: version.number, latest: latest)) != nil else { return false }
            return user.permits(action == .approve ? .approveDocuments : .manageDocuments)
        }
    }

    /// What the stored bytes hash to now (nil when they are missing).
    func storedHash(_ hash: String) async throws -> String? {
        try await store.documentContent(hash: hash).map { Secrets.sha256Hex($0) }
    }

    /// A version's bytes for download, checked against its hash.
    public func content(documentID: Int64, number: Int, as user: ActingUser) async throws -> (DocumentVersion, [UInt8]) {
        let record = try await scopedRecord(id: documentID, as: user)
        guard let version = record.versions.first(where: { $0.number == number }) else {
            throw ServiceError(.notFound, "\(record.document.reference) has no version \(number).")
        }
        guard let bytes = try await store.documentContent(hash: version.contentHash) else {
            throw ServiceError(.notFound, "The file of \(record.document.reference) version \(number) is missing from storage; upload it again.")
        }
        // Never serve bytes that differ from what was recorded (and perhaps approved).
        guard Secrets.sha256Hex(bytes) == version.contentHash else {
            throw ServiceError(.conflict, "The stored file of \(record.document.reference) version \(number) no longer matches its hash; upload it again.")
        }
        return (version, bytes)
    }

    func scopedRecord(id: Int64, as user: ActingUser) async throws -> DocumentRecord {
        try await gate.inScope(
            "document", as: user, notFound: ServiceError(.notFound, "No document has the reference \(ProjectDocument.reference(id: id))."),
            id: { _ in id }) { try await store.documentRecord(id: id, scope: $0) }.0
    }

    static func product(of document: ProjectDocument) throws -> NSIProduct {
        guard let product = document.product else {
            throw ServiceError(.notFound, "\(document.reference) is for '\(document.productCode)', which no catalogue version lists.")
        }
        return product
    }

    // MARK: Writes

    /// Adds a version from an upload. 404 out of scope, 403 without `.manageDocuments`, then
    /// every refusal of the file (type, magic bytes, size, name) with nothing stored.
    public func upload(projectCode: String, productCode: String, fileName: String, declaredMediaType: String?, bytes: [UInt8],
                       changeSummary: String, expectedVersion: Int?, as user: ActingUser) async throws -> DocumentRecord {
        let project = try await gate.project(code: projectCode, for: .manageDocuments, as: user).0.project
        _ = try await catalogueProduct(productCode, project: project)
        let checked: CheckedUpload
        switch DocumentUpload.check(fileName: fileName, declaredMediaType: declaredMediaType, bytes: bytes, maximumBytes: maximumBytes) {
        case .success(let upload): checked = upload
        case .failure(let refusal): throw ValidationFailure([FieldError(field: "file", message: refusal.message)])
        }
        return try await addVersion(project: project, productCode: productCode, fileName: checked.fileName, type: checked.type,
                                    bytes: bytes, changeSummary: changeSummary, expectedVersion: expectedVersion, as: user)
    }

    /// A Markdown draft from the product's template, filled with the project's known data.
    public func startFromTemplate(projectCode: String, productCode: String, as user: ActingUser) async throws -> DocumentRecord {
        let listing = try await gate.project(code: projectCode, for: .manageDocuments, as: user).0
        let product = try await catalogueProduct(productCode, project: listing.project)
        let text = try await TemplateDraft(gate: gate, store: store).render(product: product, listing: listing, as: user)
        let existing = try await store.documents(projectID: listing.project.id).first { $0.productCode == product.code }
        return try await addVersion(project: listing.project, productCode: product.code,
                                    fileName: "\(listing.project.code)-\(product.code).md", type: .markdown, bytes: Array(text.utf8),
                                    changeSummary: "Started from the \(product.name) template.", expectedVersion: existing?.version, as: user)
    }

    func catalogueProduct(_ code: String, project: ImplementationProject) async throws -> NSIProduct {
        let catalogue = try await catalogue(for: project)
        guard let product = catalogue.product(code: code) else {
            throw ServiceError(.refused, "'\(code)' is not a product in catalogue version \(catalogue.number). Choose one of: \(catalogue.products.map(\.code).joined(separator: ", ")).")
        }
        return product
    }

    func addVersion(project: ImplementationProject, productCode: String, fileName: String, type: DocumentFileType, bytes: [UInt8],
                    changeSummary: String, expectedVersion: Int?, as user: ActingUser) async throws -> DocumentRecord {
        let product = try await catalogueProduct(productCode, project: project)
        let summary: String
        do { summary = try DocumentRules.checkChangeSummary(changeSummary) } catch {
            throw ValidationFailure([FieldError(field: "changeSummary", message: error.message)])
        }
        let now = gate.clock.timestamp
        let existing = try await store.documents(projectID: project.id).first { $0.productCode == product.code }
        var document = existing ?? ProjectDocument(owner: .project(project), productCode: product.code, latestVersion: 0,
                                                   createdBy: user.name, createdAt: now)
        if let existing {
            guard let expectedVersion else {
                throw ServiceError(.conflict, "\(existing.reference) already exists; open it and add the new version there.")
            }
            guard expectedVersion == existing.version else { throw Self.stale(existing) }
        }
        let others = existing == nil ? [] : (try await store.documentRecord(id: document.id, scope: .national)?.versions ?? [])
        let hash = Secrets.sha256Hex(bytes)
        let version = DocumentVersion(number: document.latestVersion + 1, state: .draft, fileName: fileName, fileType: type,
                                      size: bytes.count, contentHash: hash, author: user.name, authoredAt: now, changeSummary: summary)
        let supersede = DocumentRules.supersededBy(newState: .draft, number: version.number, others: others)
        document.latestVersion = version.number
        document.state = .draft
        let audit = gate.auditRecord(existing == nil ? "create document" : "add document version", entityType: "document",
                                     entityID: document.id, before: existing.map(Self.snapshot),
                                     after: Self.encoded(VersionSnapshot(product: product.code, version: version.number,
                                                                         state: version.state.rawValue, file: fileName, hash: hash,
                                                                         summary: summary)),
                                     at: now, as: user)
        do {
            return try await store.addDocumentVersion(to: existing == nil ? .new(document) : .stored(document), version: version,
                                                      content: bytes, supersede: supersede, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(document)
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, error.message)
        }
    }

    /// Moves version `number` on: submit, return, approve, issue or make obsolete.
    public func act(documentID: Int64, number: Int, action: DocumentAction, expectedVersion: Int, comment: String? = nil,
                    as user: ActingUser) async throws -> DocumentRecord {
        let record = try await scopedRecord(id: documentID, as: user)
        _ = try await gate.authorise(action == .approve ? .approveDocuments : .manageDocuments, as: user)
        var document = record.document
        let product = try Self.product(of: document)
        guard let version = record.versions.first(where: { $0.number == number }) else {
            throw ServiceError(.notFound, "\(document.reference) has no version \(number).")
        }
        // A bad comment refuses the whole action; a good one is saved with it.
        var review: ReviewComment?
        if let comment, !comment.trimmedWhitespace.isEmpty {
            do {
                review = ReviewComment(versionID: version.id, author: user.name, role: user.role, at: gate.clock.timestamp,
                                       text: try DocumentRules.checkComment(comment))
            } catch {
                throw ValidationFailure([FieldError(field: "comment", message: error.message)])
            }
        }
        let newState: DocumentState
        var approval: DocumentApproval?
        do {
            newState = try DocumentRules.next(version.state, action, version: number, latest: document.latestVersion)
            if action == .approve {
                try DocumentRules.checkApprover(name: user.name, role: user.role, version: version, product: product)
                // The hash approved is that of the bytes as stored now, so tampering shows as void.
                guard let stored = try await storedHash(version.contentHash), stored == version.contentHash else {
                    throw DocumentRules.Refusal("The stored file of version \(number) no longer matches its hash; upload it again before approving.")
                }
                approval = DocumentApproval(by: user.name, role: product.approver, at: gate.clock.timestamp, contentHash: stored)
            }
        } catch let refusal as DocumentRules.Refusal {
            throw ServiceError(.conflict, refusal.message)
        }
        guard expectedVersion == document.version else { throw Self.stale(document) }
        let supersede = DocumentRules.supersededBy(newState: newState, number: number, others: record.versions)
        let before = Self.snapshot(document)
        var states = Dictionary(uniqueKeysWithValues: record.versions.map { ($0.number, $0.state) })
        states[number] = newState
        for other in record.versions where supersede.contains(other.id) { states[other.number] = .superseded }
        document.state = states[document.latestVersion] ?? newState
        document.signedOffVersion = states.filter { $0.value.isSignedOff }.keys.max()
        let audit = gate.auditRecord("\(action.rawValue) document version", entityType: "document", entityID: document.id,
                                     before: before,
                                     after: Self.encoded(VersionSnapshot(product: product.code, version: number, state: newState.rawValue,
                                                                         file: version.fileName, hash: version.contentHash,
                                                                         summary: version.changeSummary, comment: review?.text)),
                                     as: user)
        do {
            return try await store.changeDocumentVersion(document: document, versionID: version.id, state: newState, approval: approval,
                                                         supersede: supersede, comment: review, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(document)
        }
    }

    /// A review comment on version `number`, kept with that version.
    public func comment(documentID: Int64, number: Int, text: String, as user: ActingUser) async throws -> ReviewComment {
        let record = try await scopedRecord(id: documentID, as: user)
        _ = try await gate.authorise(.manageDocuments, as: user)
        guard let version = record.versions.first(where: { $0.number == number }) else {
            throw ServiceError(.notFound, "\(record.document.reference) has no version \(number).")
        }
        let checked: String
        do { checked = try DocumentRules.checkComment(text) } catch {
            throw ValidationFailure([FieldError(field: "comment", message: error.message)])
        }
        let comment = ReviewComment(versionID: version.id, author: user.name, role: user.role, at: gate.clock.timestamp, text: checked)
        return try await store.addReviewComment(comment, audit: gate.auditRecord(
            "comment on document version", entityType: "document", entityID: documentID,
            after: Self.encoded(["version": String(number), "comment": checked]), at: comment.at, as: user))
    }

    /// Moves the project to the latest catalogue version, audited with the diff.
    /// `checked` is the catalogue version whose changes the caller was shown, so nobody applies
    /// a diff they did not see.
    public func applyLatestCatalogue(projectCode: String, checked: Int, as user: ActingUser) async throws -> CatalogueDiff {
        let project = try await gate.project(code: projectCode, for: .manageDocuments, as: user).0.project
        let current = try await catalogue(for: project)
        let latest = NSIProductCatalogue.latest
        guard checked == latest.number else {
            throw ServiceError(.conflict, "The changes checked were for catalogue version \(checked), but the latest is version \(latest.number). Check its changes and apply it again.")
        }
        guard latest.number > current.number else {
            throw ServiceError(.conflict, "\(project.code) is already on the latest catalogue, version \(latest.number).")
        }
        let diff = CatalogueDiff(from: current, to: latest)
        let after = Self.encoded(["version": String(latest.number), "added": diff.added.map(\.code).joined(separator: ","),
                                  "removed": diff.removed.map(\.code).joined(separator: ","),
                                  "changed": diff.changed.map(\.after.code).joined(separator: ",")])
        try await store.applyCatalogue(projectID: project.id, version: latest.number, by: user.name, at: gate.clock.timestamp,
                                       audit: gate.auditRecord("apply NSI catalogue version", entityType: "project",
                                                               entityID: project.id,
                                                               before: Self.encoded(["version": String(current.number)]), after: after,
                                                               as: user))
        return diff
    }

    static func stale(_ document: ProjectDocument) -> ServiceError {
        ServiceError(.staleVersion, "\(document.reference) was changed by someone else since you opened it. Reload it and try again.")
    }

    struct VersionSnapshot: Codable {
        var product: String
        var version: Int
        var state: String
        var file: String
        var hash: String
        var summary: String
        /// A review comment made with the action.
        var comment: String? = nil
    }

    static func snapshot(_ d: ProjectDocument) -> String {
        encoded(["product": d.productCode, "state": d.state.rawValue, "latestVersion": String(d.latestVersion),
                 "signedOffVersion": d.signedOffVersion.map(String.init) ?? ""])
    }

    static func encoded(_ value: some Encodable) -> String { LessonService.encoded(value) }
}
