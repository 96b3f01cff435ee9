/// What can be done to a document version (guide §4.6.5, FileCM).
public enum DocumentAction: String, CaseIterable, Sendable, Codable {
    case submit = "submit-for-review"
    case returnToDraft = "return-to-draft"
    case approve
    case issue
    case makeObsolete = "obsolete"

    public var title: String {
        switch self {
        case .submit: "Submit for review"
        case .returnToDraft: "Return to draft"
        case .approve: "Approve"
        case .issue: "Issue"
        case .makeObsolete: "Make obsolete"
        }
    }
}

/// The document-control rules, pure so both the web app and the API refuse the same things
/// with the same words.
public enum DocumentRules {
    /// A refused action: a sentence saying why and what to do instead.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(_ message: String) { self.message = message }
    }

    /// The state `action` moves a version in `state` to, or why it cannot. `latest` is the
    /// document's newest version number, so actions on old versions explain themselves.
    public static func next(_ state: DocumentState, _ action: DocumentAction, version: Int, latest: Int) throws(Refusal) -> DocumentState {
        let label = "Version \(version)"
        switch (state, action) {
        case (.superseded, _):
            throw Refusal("\(label) is superseded by a later version (the latest is version \(latest)); only the latest version can be \(action == .approve ? "approved" : "changed").")
        case (.obsolete, _):
            throw Refusal("\(label) is obsolete; upload a new version to revive the document.")
        case (.draft, .submit): return .inReview
        case (.inReview, .returnToDraft): return .draft
        case (.inReview, .approve): return .approved
        case (.approved, .issue): return .issued
        case (_, .makeObsolete): return .obsolete
        case (.draft, .approve):
            throw Refusal("\(label) is a draft; submit it for review before it can be approved.")
        case (.approved, .approve), (.issued, .approve):
            throw Refusal("\(label) is already approved.")
        case (.issued, .issue):
            throw Refusal("\(label) is already issued.")
        default:
            throw Refusal("\(label) is \(state.title.lowercased()); it cannot be moved to '\(action.title.lowercased())' from there.")
        }
    }

    /// Segregation of duties and the named approver role: the author never approves their
    /// own version, and only the product's approver role may approve at all.
    public static func checkApprover(name: String, role: Role?, version: DocumentVersion, product: NSIProduct) throws(Refusal) {
        if name == version.author {
            throw Refusal("You wrote version \(version.number), so you cannot approve it: another \(product.approver.title) must (segregation of duties).")
        }
        guard role == product.approver else {
            throw Refusal("The \(product.name) is approved by the \(product.approver.title); your role (\(role?.title ?? "none")) cannot approve it.")
        }
    }

    /// The versions a change to version `number` supersedes: a new draft replaces an older open
    /// version, and a signed-off version supersedes older signed-off and open ones.
    public static func supersededBy(newState: DocumentState, number: Int, others: [DocumentVersion]) -> [Int64] {
        others.filter { other in
            guard other.number < number else { return false }
            if newState == .draft { return other.state.isOpen }
            if newState.isSignedOff { return other.state.isSignedOff || other.state.isOpen }
            return false
        }.map(\.id)
    }

    /// Reviewer comments: 1 to 4,000 characters.
    public static func checkComment(_ text: String) throws(Refusal) -> String {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else { throw Refusal("Write the comment before saving it.") }
        guard trimmed.count <= 4000 else { throw Refusal("A comment can be at most 4,000 characters; this one has \(trimmed.count).") }
        return trimmed
    }

    /// Change summaries: 1 to 500 characters, so every version says why it exists.
    public static func checkChangeSummary(_ text: String) throws(Refusal) -> String {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else { throw Refusal("Say what changed in this version (the change summary).") }
        guard trimmed.count <= 500 else { throw Refusal("A change summary can be at most 500 characters; this one has \(trimmed.count).") }
        return trimmed
    }
}
