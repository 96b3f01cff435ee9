/// FileCM states of a document version (guide §4.6.5): created, reviewed, approved, issued,
/// and finally superseded by a later version or made obsolete.
public enum DocumentState: String, CaseIterable, Sendable, Codable {
    case draft
    case inReview = "in-review"
    case approved
    case issued
    case superseded
    case obsolete

    public var title: String {
        switch self {
        case .draft: "Draft"
        case .inReview: "In review"
        case .approved: "Approved"
        case .issued: "Issued"
        case .superseded: "Superseded"
        case .obsolete: "Obsolete"
        }
    }

    /// Signed off: what a stage gate counts as evidence.
    public var isSignedOff: Bool { self == .approved || self == .issued }
    /// Still being written or reviewed; a project has at most one such version per document.
    public var isOpen: Bool { self == .draft || self == .inReview }
}

/// The project a document, gate decision or hazard belongs to.
public typealias DocumentOwner = ProjectPlace

/// One catalogue product on one project, e.g. A80001-CRS's PID; its content lives in versions.
public struct ProjectDocument: Hashable, Sendable {
    public var id: Int64
    public var owner: DocumentOwner
    public var productCode: String
    /// The state of the latest version.
    public var state: DocumentState
    public var latestVersion: Int
    /// The number of the newest signed-off (approved or issued) version, if any.
    public var signedOffVersion: Int?
    public var createdBy: String
    public var createdAt: String
    /// Row version for optimistic concurrency: every change to the document or its versions bumps it.
    public var version: Int

    public init(id: Int64 = 0, owner: DocumentOwner, productCode: String, state: DocumentState = .draft, latestVersion: Int = 1,
                signedOffVersion: Int? = nil, createdBy: String, createdAt: String, version: Int = 1) {
        self.id = id
        self.owner = owner
        self.productCode = productCode
        self.state = state
        self.latestVersion = latestVersion
        self.signedOffVersion = signedOffVersion
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.version = version
    }

    public var product: NSIProduct? { NSIProductCatalogue.anyProduct(code: productCode) }

    /// "DOC-000042".
    public static func reference(id: Int64) -> String {
        let digits = String(id)
        return "DOC-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
    public var reference: String { Self.reference(id: id) }

    public static func id(fromReference text: String) -> Int64? {
        let t = text.uppercased()
        let digits = t.hasPrefix("DOC-") ? String(t.dropFirst(4)) : t
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let id = Int64(digits), id > 0 else { return nil }
        return id
    }
}

/// Who signed a version off, when, and the SHA-256 of exactly the bytes they approved.
public struct DocumentApproval: Hashable, Sendable, Codable {
    public var by: String
    public var role: Role
    public var at: String
    public var contentHash: String

    public init(by: String, role: Role, at: String, contentHash: String) {
        self.by = by
        self.role = role
        self.at = at
        self.contentHash = contentHash
    }
}

/// One uploaded (or template-drafted) version of a document. Its bytes never change: a new
/// content is a new version.
public struct DocumentVersion: Hashable, Sendable {
    public var id: Int64
    public var documentID: Int64
    public var number: Int
    public var state: DocumentState
    /// The name it was uploaded as, for display and download; never used as a path.
    public var fileName: String
    public var fileType: DocumentFileType
    public var size: Int
    /// SHA-256, lower-case hex; also the file's storage name (content-addressed).
    public var contentHash: String
    public var author: String
    public var authoredAt: String
    public var changeSummary: String
    public var approval: DocumentApproval?

    public init(id: Int64 = 0, documentID: Int64 = 0, number: Int = 1, state: DocumentState = .draft, fileName: String,
                fileType: DocumentFileType, size: Int, contentHash: String, author: String, authoredAt: String,
                changeSummary: String, approval: DocumentApproval? = nil) {
        self.id = id
        self.documentID = documentID
        self.number = number
        self.state = state
        self.fileName = fileName
        self.fileType = fileType
        self.size = size
        self.contentHash = contentHash
        self.author = author
        self.authoredAt = authoredAt
        self.changeSummary = changeSummary
        self.approval = approval
    }

    /// An approval stands only while the approved hash is the version's recorded hash and the
    /// stored bytes still hash to it (`storedHash`, when they were read).
    public func approvalIsVoid(storedHash: String? = nil) -> Bool {
        guard let approval else { return false }
        if approval.contentHash != contentHash { return true }
        if let storedHash, storedHash != approval.contentHash { return true }
        return false
    }
}

/// A reviewer's comment on one version; kept with that version for good.
public struct ReviewComment: Hashable, Sendable {
    public var id: Int64
    public var versionID: Int64
    public var author: String
    public var role: Role?
    public var at: String
    public var text: String

    public init(id: Int64 = 0, versionID: Int64, author: String, role: Role?, at: String, text: String) {
        self.id = id
        self.versionID = versionID
        self.author = author
        self.role = role
        self.at = at
        self.text = text
    }
}
