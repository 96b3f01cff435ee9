/// The kinds of file a document version may be.
public enum DocumentFileType: String, CaseIterable, Sendable, Codable {
    case pdf, docx, xlsx, odt, markdown

    public var title: String {
        switch self {
        case .pdf: "PDF"
        case .docx: "Word (DOCX)"
        case .xlsx: "Excel (XLSX)"
        case .odt: "OpenDocument text (ODT)"
        case .markdown: "Markdown"
        }
    }

    /// The Content-Type to serve a stored version with.
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .markdown: "text/markdown; charset=utf-8"
        }
    }

    public var fileExtensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .docx: ["docx"]
        case .xlsx: ["xlsx"]
        case .odt: ["odt"]
        case .markdown: ["md", "markdown"]
        }
    }

    /// The type an extension names, with or without its dot, in any case.
    public init?(fileExtension: String) {
        let wanted = fileExtension.hasPrefix(".") ? String(fileExtension.dropFirst()).lowercased() : fileExtension.lowercased()
        guard let type = Self.allCases.first(where: { $0.fileExtensions.contains(wanted) }) else { return nil }
        self = type
    }

    /// Media types a browser may send for this type. Windows without Office labels Office files
    /// as ZIPs and Markdown often goes as text/plain; neither contradicts the extension.
    var declarableMediaTypes: [String] {
        switch self {
        case .pdf: ["application/pdf", "application/x-pdf"]
        case .docx, .xlsx, .odt: [mediaType, "application/zip", "application/x-zip-compressed"]
        case .markdown: ["text/markdown", "text/x-markdown", "text/plain"]
        }
    }

    /// How the refusal messages name what the contents should have been.
    var contentsPhrase: String {
        switch self {
        case .pdf: "a PDF"
        case .docx: "a Word (DOCX) document"
        case .xlsx: "an Excel (XLSX) workbook"
        case .odt: "an OpenDocument text (ODT) document"
        case .markdown: "Markdown text"
        }
    }
}

/// Why an upload was refused, as a sentence the uploader can act on.
public struct UploadRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case emptyFile, tooLarge, pathInName, badName, typeNotAllowed, contentMismatch
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// An upload that passed every check, ready to store.
public struct CheckedUpload: Hashable, Sendable {
    /// The name as given, for display; the storage name is generated elsewhere.
    public var fileName: String
    public var type: DocumentFileType
    public var size: Int

    public init(fileName: String, type: DocumentFileType, size: Int) {
        self.fileName = fileName
        self.type = type
        self.size = size
    }
}

/// The checks on an uploaded document version: its name, its size, and that its bytes really
/// are the type its name and Content-Type claim, so nothing else is stored or served as one.
public enum DocumentUpload {
    public static let defaultMaximumBytes = 10 * 1024 * 1024
    public static let maximumNameLength = 200

    /// Checks, in order, the name, the size and the type. `declaredMediaType` is the multipart
    /// part's Content-Type if any (may be nil or "application/octet-stream", which then defers
    /// to the extension).
    public static func check(fileName: String, declaredMediaType: String?, bytes: [UInt8],
                             maximumBytes: Int = defaultMaximumBytes) -> Result<CheckedUpload, UploadRefusal> {
        func refuse(_ code: UploadRefusal.Code, _ message: String) -> Result<CheckedUpload, UploadRefusal> {
            .failure(UploadRefusal(code: code, message: message))
        }
        if let refusal = nameRefusal(fileName) { return .failure(refusal) }
        guard !bytes.isEmpty else {
            return refuse(.emptyFile, "\(fileName) is empty (0 bytes). Check you chose the right file and upload it again.")
        }
        guard bytes.count <= maximumBytes else {
            return refuse(.tooLarge, "\(fileName) is \(size(bytes.count, roundingUp: true)), over the \(size(maximumBytes, roundingUp: false)) "
                + "limit. Make it smaller (for example by compressing its images or splitting it) and upload it again.")
        }
        let fileExtension = String(fileName[fileName.index(after: fileName.lastIndex(of: ".") ?? fileName.startIndex)...])
        guard let type = DocumentFileType(fileExtension: fileExtension) else {
            let allowed = DocumentFileType.allCases.map(\.title)
            return refuse(.typeNotAllowed, "Files ending .\(fileExtension.prefix(16)) can't be uploaded. Upload a "
                + allowed.dropLast().joined(separator: ", ") + " or \(allowed.last ?? "") file.")
        }
        if let declared = declaredMediaType.map(normalisedMediaType), !declared.isEmpty, declared != "application/octet-stream",
           !type.declarableMediaTypes.contains(declared) {
            // Echo the declared type only when it is plainly a media type, not arbitrary header text.
            let plain = declared.count <= 80 && declared.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/.+-_".contains($0)) }
            return refuse(.contentMismatch, "The file is named \(fileName) but was sent as \(plain ? declared : "a different type"), "
                + "not as \(type.contentsPhrase). Check you chose the right file and upload it again.")
        }
        let actual = sniff(bytes)
        guard actual == type else {
            let found = actual.map { " (they look like \($0.contentsPhrase))" } ?? ""
            return refuse(.contentMismatch, "The file is named \(fileName) but its contents are not \(type.contentsPhrase)\(found). "
                + "Save or export it as \(type.contentsPhrase) and upload it again.")
        }
        return .success(CheckedUpload(fileName: fileName, type: type, size: bytes.count))
    }

    /// What the bytes really are, whatever the file is called: nil when none of the allowed types.
    public static func sniff(_ bytes: [UInt8]) -> DocumentFileType? {
        guard !bytes.isEmpty else { return nil }
        if bytes.starts(with: "%PDF-".utf8) { return .pdf }
        if bytes.starts(with: ZipArchive.signature) { return ZipArchive(bytes)?.officeType }
        // Most binaries also fail the text test below; naming the common ones refuses them even
        // when a short file happens to be valid text.
        let binary: [[UInt8]] = [[0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08], [0x89, 0x50, 0x4E, 0x47], [0x7F, 0x45, 0x4C, 0x46],
                                 Array("GIF87a".utf8), Array("GIF89a".utf8), [0xFF, 0xD8, 0xFF], [0xD0, 0xCF, 0x11, 0xE0], [0x1F, 0x8B]]
        if binary.contains(where: { bytes.starts(with: $0) }) { return nil }
        return isText(bytes) ? .markdown : nil
    }

    // MARK: Checks

    private static func nameRefusal(_ name: String) -> UploadRefusal? {
        // Fullwidth slashes fold to real ones under NFKC, which a later layer might apply.
        let separators: Set<Character> = ["/", "\\", "\u{FF0F}", "\u{FF3C}"]
        let scalars = Array(name.unicodeScalars.prefix(2))
        let drive = scalars.count == 2 && scalars[0].isASCII && scalars[0].properties.isAlphabetic && scalars[1] == ":"
        // With no separators, a ".." component can only be the whole name.
        if name.contains(where: separators.contains) || name == ".." || name.hasPrefix("~") || drive {
            return UploadRefusal(code: .pathInName, message: "The file name must be just a name, without a folder path, drive or "
                + "'..', '~', '/' or '\\'. Rename the file and upload it again.")
        }
        if name.isBlank {
            return UploadRefusal(code: .badName, message: "The file has no name. Give it a name such as report.pdf and upload it again.")
        }
        if name.count > maximumNameLength {
            return UploadRefusal(code: .badName, message: "The file name is \(name.count) characters long. Shorten it to "
                + "\(maximumNameLength) characters or fewer and upload it again.")
        }
        if name.unicodeScalars.contains(where: isHidden) {
            return UploadRefusal(code: .badName, message: "The file name contains control or hidden formatting characters. "
                + "Rename it using ordinary letters, digits and punctuation and upload it again.")
        }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex else {
            return UploadRefusal(code: .badName, message: "The file name has no extension, so its type is unknown. Name it "
                + "like report.pdf or notes.md and upload it again.")
        }
        return nil
    }

    /// Control characters, and the bidirectional overrides that make "report‮fdp.exe" look like a PDF.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || [0x061C, 0x200E, 0x200F].contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    private static func normalisedMediaType(_ value: String) -> String {
        String(value.prefix { $0 != ";" }).trimmedWhitespace.lowercased()
    }

    /// Valid UTF-8 with no control characters but tab, line feed and carriage return.
    private static func isText(_ bytes: [UInt8]) -> Bool {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if (scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value)) || scalar.value == 0x7F { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// A size in MiB to a tenth; caps under a tenth of a MiB (only tests set those) in bytes.
    private static func size(_ bytes: Int, roundingUp: Bool) -> String {
        let mebibyte = 1024 * 1024
        guard bytes >= mebibyte / 10 else { return "\(bytes) bytes" }
        let tenths = (bytes * 10 + (roundingUp ? mebibyte - 1 : 0)) / mebibyte
        return tenths % 10 == 0 ? "\(tenths / 10) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
    }
}

/// Just enough of a ZIP to tell the Office formats apart: entry names from the central
/// directory, and the first local entry for ODF's stored `mimetype`. Every read is bounds
/// checked, so a truncated or hostile archive only ever fails to sniff.
private struct ZipArchive {
    static let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let odtMediaType = Array("application/vnd.oasis.opendocument.text".utf8)

    let bytes: [UInt8]
    let names: [ArraySlice<UInt8>]

    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        guard let end = Self.endOfCentralDirectory(bytes), let count = Self.u16(bytes, end + 10),
              let size = Self.u32(bytes, end + 12), let start = Self.u32(bytes, end + 16), start + size <= end else { return nil }
        var names: [ArraySlice<UInt8>] = []
        var entry = start
        for _ in 0..<count {
            guard entry + 46 <= start + size, Self.u32(bytes, entry) == 0x0201_4B50, let nameLength = Self.u16(bytes, entry + 28),
                  let extra = Self.u16(bytes, entry + 30), let comment = Self.u16(bytes, entry + 32),
                  entry + 46 + nameLength + extra + comment <= start + size else { return nil }
            names.append(bytes[entry + 46..<entry + 46 + nameLength])
            entry += 46 + nameLength + extra + comment
        }
        self.names = names
    }

    var officeType: DocumentFileType? {
        if firstEntryIsODTMimetype, has({ $0.elementsEqual("content.xml".utf8) }) { return .odt }
        guard has({ $0.elementsEqual("[Content_Types].xml".utf8) }) else { return nil }
        switch (has { $0.starts(with: "word/".utf8) }, has { $0.starts(with: "xl/".utf8) }) {
        case (true, false): return .docx
        case (false, true): return .xlsx
        default: return nil
        }
    }

    private func has(_ matches: (ArraySlice<UInt8>) -> Bool) -> Bool { names.contains(where: matches) }

    /// ODF puts an uncompressed `mimetype` entry first, naming the format.
    private var firstEntryIsODTMimetype: Bool {
        guard Self.u16(bytes, 8) == 0, let size = Self.u32(bytes, 18), let nameLength = Self.u16(bytes, 26),
              let extra = Self.u16(bytes, 28), 30 + nameLength + extra + size <= bytes.count else { return false }
        let data = 30 + nameLength + extra
        return bytes[30..<30 + nameLength].elementsEqual("mimetype".utf8) && bytes[data..<data + size].elementsEqual(Self.odtMediaType)
    }

    /// The end-of-central-directory record, searched back from the end past a comment of at most 64 KiB.
    private static func endOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var offset = bytes.count - 22
        while offset >= max(0, bytes.count - 22 - 65_535) {
            if u32(bytes, offset) == 0x0605_4B50, let comment = u16(bytes, offset + 20), offset + 22 + comment <= bytes.count { return offset }
            offset -= 1
        }
        return nil
    }

    private static func u16(_ bytes: [UInt8], _ offset: Int) -> Int? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
}
