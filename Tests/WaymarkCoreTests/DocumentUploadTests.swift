import Testing
import WaymarkCore

@Suite("Documents: upload checks")
struct DocumentUploadTests {
    /// One attempted upload.
    struct Upload: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var declared: String? = nil
        var maximum = DocumentUpload.defaultMaximumBytes

        var result: Result<CheckedUpload, UploadRefusal> {
            DocumentUpload.check(fileName: name, declaredMediaType: declared, bytes: bytes, maximumBytes: maximum)
        }

        var refusal: UploadRefusal? {
            if case .failure(let refusal) = result { refusal } else { nil }
        }

        var description: String { "\(name.debugDescription) (\(bytes.count) bytes, \(declared ?? "no type"))" }
    }

    static let pdf = Array("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static let contentTypes = ("[Content_Types].xml", Array(#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8))
    static let docx = StoredZip.make([contentTypes, ("_rels/.rels", Array("<Relationships/>".utf8)), ("word/document.xml", Array("<w:document/>".utf8))])
    static let xlsx = StoredZip.make([contentTypes, ("_rels/.rels", Array("<Relationships/>".utf8)), ("xl/workbook.xml", Array("<workbook/>".utf8))])
    static let odt = StoredZip.make([("mimetype", Array("application/vnd.oasis.opendocument.text".utf8)),
                                     ("content.xml", Array("<office:document-content/>".utf8)), ("META-INF/manifest.xml", Array("<manifest/>".utf8))])
    static let markdown = Array("# Project Initiation Document\n\n| Role | Name |\n|---|---|\n| SRO | A. Smith |\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]

    @Test("the test ZIPs are real: CRC-32 matches the standard check value")
    func crc() {
        #expect(StoredZip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("each allowed type is accepted when its name, declared type and bytes agree", arguments: [
        (Upload(name: "PID v1.2.pdf", bytes: pdf, declared: "application/pdf"), DocumentFileType.pdf),
        (Upload(name: "PID.docx", bytes: docx, declared: DocumentFileType.docx.mediaType), .docx),
        (Upload(name: "Plan.XLSX", bytes: xlsx, declared: DocumentFileType.xlsx.mediaType), .xlsx),
        (Upload(name: "Minutes.odt", bytes: odt, declared: "application/vnd.oasis.opendocument.text"), .odt),
        (Upload(name: "Brief.md", bytes: markdown, declared: "text/markdown; charset=UTF-8"), .markdown),
        (Upload(name: "Brief.markdown", bytes: markdown, declared: "text/plain"), .markdown),
        (Upload(name: "PID.docx", bytes: docx, declared: "application/octet-stream"), .docx),
        (Upload(name: "Plan.xlsx", bytes: xlsx, declared: "application/x-zip-compressed"), .xlsx),
        (Upload(name: "PID.pdf", bytes: pdf, declared: nil), .pdf),
        (Upload(name: "PID.pdf", bytes: pdf, declared: " APPLICATION/PDF ; charset=binary"), .pdf),
        (Upload(name: "page.md", bytes: Array("<script>alert(1)</script>\r\n\tfine\n".utf8)), .markdown),
        (Upload(name: "Notes ✓ été.md", bytes: Array("\u{FEFF}Café ✓\n".utf8)), .markdown),
    ])
    func accepted(upload: Upload, type: DocumentFileType) {
        #expect(upload.result == .success(CheckedUpload(fileName: upload.name, type: type, size: upload.bytes.count)))
    }

    @Test("each refusal has its code and a message", arguments: [
        (Upload(name: "../PID.pdf", bytes: pdf), UploadRefusal.Code.pathInName),
        (Upload(name: "reports/PID.pdf", bytes: pdf), .pathInName),
        (Upload(name: "C:\\PID.pdf", bytes: pdf), .pathInName),
        (Upload(name: "C:PID.pdf", bytes: pdf), .pathInName),
        (Upload(name: "~PID.pdf", bytes: pdf), .pathInName),
        (Upload(name: "..", bytes: pdf), .pathInName),
        (Upload(name: "a\u{FF0F}PID.pdf", bytes: pdf), .pathInName),
        (Upload(name: "../empty.pdf", bytes: []), .pathInName),
        (Upload(name: "", bytes: pdf), .badName),
        (Upload(name: "  ", bytes: pdf), .badName),
        (Upload(name: String(repeating: "a", count: 197) + ".pdf", bytes: pdf), .badName),
        (Upload(name: "PID\u{0}.pdf", bytes: pdf), .badName),
        (Upload(name: "PID\n.pdf", bytes: pdf), .badName),
        (Upload(name: "PID\u{202E}fdp.exe", bytes: pdf), .badName),
        (Upload(name: "PID", bytes: pdf), .badName),
        (Upload(name: "PID.", bytes: pdf), .badName),
        (Upload(name: ".pdf", bytes: pdf), .badName),
        (Upload(name: "PID.pdf", bytes: []), .emptyFile),
        (Upload(name: "setup.exe", bytes: []), .emptyFile),
        (Upload(name: "PID.pdf", bytes: pdf, maximum: 16), .tooLarge),
        (Upload(name: "setup.exe", bytes: elf), .typeNotAllowed),
        (Upload(name: "notes.txt", bytes: markdown), .typeNotAllowed),
        (Upload(name: "PID.doc", bytes: pdf, declared: "application/pdf"), .typeNotAllowed),
        (Upload(name: "PID.pdf", bytes: pdf, declared: "text/html"), .contentMismatch),
        (Upload(name: "PID.docx", bytes: docx, declared: "application/pdf"), .contentMismatch),
        (Upload(name: "PID.docx", bytes: pdf), .contentMismatch),
        (Upload(name: "Plan.xlsx", bytes: docx), .contentMismatch),
        (Upload(name: "PID.docx", bytes: xlsx, declared: "application/octet-stream"), .contentMismatch),
        (Upload(name: "PID.pdf", bytes: Array(" %PDF-1.7\n".utf8)), .contentMismatch),
        (Upload(name: "photo.md", bytes: png), .contentMismatch),
        (Upload(name: "tool.md", bytes: elf), .contentMismatch),
        (Upload(name: "PID.md", bytes: pdf), .contentMismatch),
        (Upload(name: "PID.md", bytes: docx), .contentMismatch),
        (Upload(name: "page.md", bytes: Array("one\u{0C}two".utf8)), .contentMismatch),
        (Upload(name: "page.md", bytes: [0x61, 0x00, 0x62]), .contentMismatch),
        (Upload(name: "page.md", bytes: [0x63, 0x61, 0x66, 0xE9]), .contentMismatch),
        (Upload(name: "page.md", bytes: [0xC0, 0xAF]), .contentMismatch),
    ])
    func refused(upload: Upload, code: UploadRefusal.Code) {
        let refusal = upload.refusal
        #expect(refusal?.code == code)
        #expect(refusal.map { $0.message.count > 20 && $0.message.hasSuffix(".") && $0.description == $0.message } == true)
    }

    @Test("messages say what was wrong and what to do")
    func messages() {
        let large = Upload(name: "PID.pdf", bytes: Self.pdf + [UInt8](repeating: 0x20, count: DocumentUpload.defaultMaximumBytes))
        #expect(large.refusal?.message.contains("over the 10 MiB limit") == true, "\(large.refusal?.message ?? "")")
        let exe = Upload(name: "setup.exe", bytes: Self.elf).refusal?.message ?? ""
        #expect(exe.contains(".exe"))
        for type in DocumentFileType.allCases { #expect(exe.contains(type.title), "\(type)") }
        #expect(Upload(name: "report.pdf", bytes: Self.docx).refusal?.message.hasPrefix("The file is named report.pdf but its contents are not a PDF") == true)
        #expect(Upload(name: "PID.docx", bytes: Self.pdf).refusal?.message
            == "The file is named PID.docx but its contents are not a Word (DOCX) document (they look like a PDF). "
            + "Save or export it as a Word (DOCX) document and upload it again.")
        #expect(Upload(name: "PID.pdf", bytes: Self.pdf, declared: "text/html").refusal?.message.contains("sent as text/html") == true)
        #expect(Upload(name: "PID.pdf", bytes: Self.pdf, declared: "text/<b>").refusal?.message.contains("<b>") == false,
                "a hostile declared type is not echoed")
    }

    @Test func sniffing() {
        #expect(DocumentUpload.sniff(Self.pdf) == .pdf)
        #expect(DocumentUpload.sniff(Self.docx) == .docx)
        #expect(DocumentUpload.sniff(Self.xlsx) == .xlsx)
        #expect(DocumentUpload.sniff(Self.odt) == .odt)
        #expect(DocumentUpload.sniff(Self.markdown) == .markdown)
        #expect(DocumentUpload.sniff([]) == nil)
        #expect(DocumentUpload.sniff(Self.png) == nil)
        #expect(DocumentUpload.sniff(Array("PKI cards arrive Monday.\n".utf8)) == .markdown, "text may start with PK")
    }

    @Test("a ZIP must look like the format inside, not just be a ZIP")
    func zipContents() {
        let word = ("word/document.xml", Array("<w:document/>".utf8)), sheet = ("xl/workbook.xml", Array("<workbook/>".utf8))
        #expect(DocumentUpload.sniff(StoredZip.make([Self.contentTypes, ("docs/readme.txt", [0x61])])) == nil, "no word/ or xl/")
        #expect(DocumentUpload.sniff(StoredZip.make([word])) == nil, "no [Content_Types].xml")
        #expect(DocumentUpload.sniff(StoredZip.make([Self.contentTypes, word, sheet])) == nil, "both is neither")
        #expect(DocumentUpload.sniff(StoredZip.make([])) == nil)
        let manifest = ("content.xml", Array("<x/>".utf8))
        #expect(DocumentUpload.sniff(StoredZip.make([manifest, ("mimetype", Array("application/vnd.oasis.opendocument.text".utf8))])) == nil,
                "mimetype must come first")
        #expect(DocumentUpload.sniff(StoredZip.make([("mimetype", Array("application/vnd.oasis.opendocument.text-template".utf8)), manifest])) == nil)
        #expect(DocumentUpload.sniff(StoredZip.make([("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8)), manifest])) == nil)
    }

    @Test("truncated or corrupted ZIPs fail to sniff and never read out of bounds")
    func malformedZips() {
        for length in 3..<Self.docx.count { // "P" and "PK" alone are text
            #expect(DocumentUpload.sniff(Array(Self.docx.prefix(length))) == nil, "\(length) bytes")
        }
        for index in Self.docx.indices {
            for value: UInt8 in [0x00, 0xFF] {
                var corrupted = Self.docx
                corrupted[index] = value
                _ = DocumentUpload.sniff(corrupted) // any answer, so long as it returns
            }
        }
        var lying = Self.docx
        lying.replaceSubrange(lying.count - 6..<lying.count - 2, with: [0xF0, 0xFF, 0xFF, 0x7F]) // directory offset far past the end
        #expect(DocumentUpload.sniff(lying) == nil)
        #expect(DocumentUpload.sniff([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0xFF, count: 64)) == nil)
    }

    @Test func fileTypes() {
        #expect(DocumentFileType(fileExtension: "PDF") == .pdf)
        #expect(DocumentFileType(fileExtension: ".md") == .markdown)
        #expect(DocumentFileType(fileExtension: "markdown") == .markdown)
        #expect(DocumentFileType(fileExtension: "doc") == nil)
        #expect(DocumentFileType(fileExtension: "") == nil)
        #expect(DocumentFileType.markdown.mediaType == "text/markdown; charset=utf-8")
        #expect(DocumentFileType.xlsx.mediaType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(DocumentFileType.allCases.map(\.title) == ["PDF", "Word (DOCX)", "Excel (XLSX)", "OpenDocument text (ODT)", "Markdown"])
    }
}

/// Builds small stored (uncompressed) ZIPs with the local headers, central directory and
/// CRC-32s real tools expect, so the sniffer is tested on archives `unzip -t` accepts.
private enum StoredZip {
    static func make(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var archive: [UInt8] = [], directory: [UInt8] = []
        for (name, bytes) in entries {
            let name = Array(name.utf8), offset = archive.count
            // Version needed, flags, method (stored), time, date (1980-01-01), CRC, both sizes, name and extra lengths.
            var common = number(20, 2) + number(0, 2) + number(0, 2) + number(0, 2) + number(0x21, 2)
            common += number(Int(crc32(bytes)), 4) + number(bytes.count, 4) + number(bytes.count, 4)
            common += number(name.count, 2) + number(0, 2)
            archive += [0x50, 0x4B, 0x03, 0x04] + common + name + bytes
            // Version made by, the common fields, comment length, disk, attributes and where the local header is.
            directory += [0x50, 0x4B, 0x01, 0x02] + number(20, 2) + common
            directory += number(0, 2) + number(0, 2) + number(0, 2) + number(0, 4) + number(offset, 4) + name
        }
        var end: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + number(0, 2) + number(0, 2)
        end += number(entries.count, 2) + number(entries.count, 2) + number(directory.count, 4) + number(archive.count, 4) + number(0, 2)
        return archive + directory + end
    }

    /// `value` little-endian in `width` bytes.
    static func number(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
