import Foundation

/// What the MS Project XML reader checks, and converts, before FoundationXML sees a file.
/// FoundationXML traps on a name, comment or processing instruction that is not UTF-8 (libxml2
/// passes such bytes through whenever it reads a file as UTF-8, even one that declares another
/// encoding it fails to switch to), and crashes on a processing instruction without data
/// (`<?name?>`). So the parser gets only valid UTF-8 without those.
enum MSPDIInput {
    /// `data` as UTF-8: UTF-16 (by its first bytes) and files that declare ISO-8859-1 or
    /// Windows-1252 are converted and relabelled; other bytes that are not UTF-8 are refused.
    static func prepare(_ data: Data) throws(InterchangeError) -> Data {
        var utf8 = data
        if let utf16 = utf16(data) {
            let bom = data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) ? 2 : 0
            guard let text = String(data: data.dropFirst(bom), encoding: utf16) else {
                throw InterchangeError(.malformed, .mspdi, line: nil, "the file starts as UTF-16 but is not valid UTF-16")
            }
            utf8 = relabelled(text)
        } else if let bad = firstInvalidUTF8(data) {
            guard let text = latinText(data) else {
                let byte = String(data[data.startIndex + bad], radix: 16, uppercase: true)
                throw InterchangeError(.malformed, .mspdi, line: line(at: bad, in: data),
                                       "the file is not valid UTF-8 (byte 0x\(byte)) and does not declare ISO-8859-1 or Windows-1252")
            }
            utf8 = relabelled(text)
        }
        if let at = dataLessInstruction(utf8) {
            throw InterchangeError(.malformed, .mspdi, line: line(at: at, in: utf8),
                                   "the file has a processing instruction without data (<?name?>), which MS Project XML never has")
        }
        return utf8
    }

    /// The UTF-16 byte order libxml2 would pick from the first bytes, if any.
    private static func utf16(_ data: Data) -> String.Encoding? {
        let head = [UInt8](data.prefix(4))
        if head.starts(with: [0xFE, 0xFF]) || head == [0x00, 0x3C, 0x00, 0x3F] { return .utf16BigEndian }
        if head.starts(with: [0xFF, 0xFE]) || head == [0x3C, 0x00, 0x3F, 0x00] { return .utf16LittleEndian }
        return nil
    }

    /// The file's text, if its XML declaration names ISO-8859-1 or Windows-1252.
    private static func latinText(_ data: Data) -> String? {
        let head = String(String.UnicodeScalarView(data.prefix(256).map { Unicode.Scalar($0) }))
        guard let range = encodingName(in: head) else { return nil }
        let name = head[range].uppercased()
        let latin1 = ["ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "ISO-LATIN-1"].contains(name)
        guard latin1 || ["WINDOWS-1252", "CP1252"].contains(name) else { return nil }
        // Windows-1252 leaves five bytes undefined; Latin-1 maps every byte.
        return (latin1 ? nil : String(data: data, encoding: .windowsCP1252))
            ?? String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }

    /// `text` as UTF-8, its declaration saying so.
    private static func relabelled(_ text: String) -> Data {
        var text = text
        if let range = encodingName(in: text) { text.replaceSubrange(range, with: "UTF-8") }
        return Data(text.utf8)
    }

    /// Where the XML declaration names the encoding, if it does.
    private static func encodingName(in text: String) -> Range<String.Index>? {
        let start = text.hasPrefix("\u{FEFF}") ? text.index(after: text.startIndex) : text.startIndex
        guard text[start...].hasPrefix("<?xml"), let end = text.range(of: "?>"),
              let key = text[start..<end.lowerBound].range(of: "encoding") else { return nil }
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var rest = text[key.upperBound..<end.lowerBound].drop(while: blank)
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: blank)
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        return name.isEmpty ? nil : name.startIndex..<name.endIndex
    }

    /// The offset of the first `<?name?>`.
    private static func dataLessInstruction(_ data: Data) -> Int? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var at = 0
            while at + 1 < bytes.count {
                defer { at += 1 }
                guard bytes[at] == 0x3C, bytes[at + 1] == 0x3F else { continue }
                var end = at + 2 // past the target name: up to a blank, '?' or '>'
                while end < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x3F, 0x3E].contains(bytes[end]) { end += 1 }
                if end > at + 2, end + 1 < bytes.count, bytes[end] == 0x3F, bytes[end + 1] == 0x3E { return at }
            }
            return nil
        }
    }

    private static func line(at offset: Int, in data: Data) -> Int {
        data.prefix(offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode
    /// table 3-7: no overlong forms, surrogates or code points above U+10FFFF).
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var at = 0
            while at < bytes.count {
                let lead = bytes[at]
                if lead < 0x80 {
                    at += 1
                    continue
                }
                var low: UInt8 = 0x80, high: UInt8 = 0xBF
                let length: Int
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return at
                }
                guard at + length <= bytes.count, (low...high).contains(bytes[at + 1]) else { return at }
                for next in 2..<length where !(0x80...0xBF).contains(bytes[at + next]) { return at }
                at += length
            }
            return nil
        }
    }
}
