/// The Lessons Learned log's rules, pure so the web form, the API and the generator share them.
public enum LessonRules {
    public static let maximumTitle = 200
    public static let maximumText = 4000
    public static let maximumTags = 8
    public static let maximumTagLength = 30

    /// Every problem with a lesson as entered; empty when it can be saved.
    public static func validate(_ lesson: Lesson) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ field: String, _ ok: Bool, _ message: String) {
            if !ok { errors.append(FieldError(field: field, message: message)) }
        }
        check("title", !lesson.title.isBlank, "Give the lesson a short title.")
        check("title", lesson.title.count <= maximumTitle, "Keep the title to \(maximumTitle) characters.")
        check("whatHappened", !lesson.whatHappened.isBlank, "Say what happened.")
        check("whatHappened", lesson.whatHappened.count <= maximumText, "Keep what happened to \(maximumText) characters.")
        check("recommendation", !lesson.recommendation.isBlank, "Give the recommendation for other projects.")
        check("recommendation", lesson.recommendation.count <= maximumText, "Keep the recommendation to \(maximumText) characters.")
        check("product", ProductCatalogue.product(code: lesson.productCode) != nil,
              "Choose the product affected from the catalogue (\(ProductCatalogue.all.map(\.code).joined(separator: ", "))).")
        check("tags", lesson.tags.count <= maximumTags, "Use at most \(maximumTags) tags.")
        for tag in lesson.tags where normalisedTag(tag) != tag {
            check("tags", false, "Tag '\(tag)' must be lowercase letters, digits and hyphens, up to \(maximumTagLength) characters.")
        }
        check("recordedBy", !lesson.recordedBy.isBlank && lesson.recordedBy.count <= 120, "The lesson needs the name of who recorded it.")
        return errors
    }

    /// Tags from free text ("RA, Smartcards, lead time" → ra, smartcards, lead-time): split on
    /// commas, lowercased, spaces joined by hyphens, duplicates dropped. Entries that cannot be
    /// a tag are reported by name and left out.
    public static func normalisedTags(_ text: String) -> (tags: [String], errors: [FieldError]) {
        normalisedTags(text.split(separator: ",").map(String.init))
    }

    public static func normalisedTags(_ entries: [String]) -> (tags: [String], errors: [FieldError]) {
        var tags: [String] = []
        var errors: [FieldError] = []
        for entry in entries where !entry.isBlank {
            guard let tag = normalisedTag(entry) else {
                errors.append(FieldError(field: "tags", message: "Tag '\(String(entry.prefix(40)))' must be letters, digits, spaces or hyphens, up to \(maximumTagLength) characters."))
                continue
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        if tags.count > maximumTags { errors.append(FieldError(field: "tags", message: "Use at most \(maximumTags) tags, not \(tags.count).")) }
        return (tags, errors)
    }

    /// The tag form of `text`, or nil when it has characters a tag cannot hold.
    static func normalisedTag(_ text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\t" })
        let tag = words.joined(separator: "-")
        guard !tag.isEmpty, tag.count <= maximumTagLength,
              tag.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else { return nil }
        return tag
    }

    // MARK: Search text

    /// The words of a search, the same for both engines: letters and digits only (so no query
    /// syntax survives), lowercased, without the stop words PostgreSQL's English configuration
    /// drops, at most 12. Each engine then matches every word, stemmed.
    public static func searchWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        func finish() {
            if !current.isEmpty, !stopWords.contains(current), !words.contains(current), current.count <= 40 { words.append(current) }
            current = ""
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber { current.append(character) } else { finish() }
        }
        finish()
        return Array(words.prefix(12))
    }

    /// PostgreSQL's (Snowball's) English stop words, which `to_tsvector('english', …)` never
    /// indexes; SQLite indexes them, so both engines must be spared them.
    static let stopWords: Set<String> = [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves",
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
        "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was",
        "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the",
        "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against",
        "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in",
        "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
        "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only",
        "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now",
    ]

    /// A plain excerpt for a search hit: from what happened, or from the recommendation when
    /// only that mentions a search word. No highlighting markup, so nothing needs unescaping.
    public static func snippet(for lesson: Lesson, words: [String], length: Int = 180) -> String {
        let stems = words.map { String($0.prefix(max(3, $0.count - 3))) }
        let text = firstMention(in: lesson.whatHappened, stems: stems) == nil
            && firstMention(in: lesson.recommendation, stems: stems) != nil ? lesson.recommendation : lesson.whatHappened
        return excerpt(text, around: firstMention(in: text, stems: stems) ?? 0, length: length)
    }

    /// Where a word starts that begins like one of `stems` (a cheap stand-in for the engines'
    /// stemming), as a character offset.
    static func firstMention(in text: String, stems: [String]) -> Int? {
        guard !stems.isEmpty else { return nil }
        let lower = Array(text.lowercased())
        for index in lower.indices where index == 0 || !(lower[index - 1].isLetter || lower[index - 1].isNumber) {
            if stems.contains(where: { lower[index...].starts(with: $0) }) { return index }
        }
        return nil
    }

    /// About `length` characters of `text` starting a little before `position`, cut at spaces.
    public static func excerpt(_ text: String, around position: Int = 0, length: Int) -> String {
        let characters = Array(text)
        guard characters.count > length else { return text }
        var start = max(0, min(position - length / 3, characters.count - length))
        while start > 0, start < characters.count, !characters[start - 1].isWhitespace { start += 1 }
        var end = min(characters.count, start + length)
        while end < characters.count, end > start + length / 2, !characters[end].isWhitespace { end -= 1 }
        let body = String(characters[start..<end]).trimmedWhitespace
        return (start > 0 ? "… " : "") + body + (end < characters.count ? " …" : "")
    }
}
