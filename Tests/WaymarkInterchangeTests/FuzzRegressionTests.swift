import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

/// Inputs the fuzzers (Fuzz/, scripts/fuzz) found crashing a reader: each must now be refused
/// with a message, or read.
@Suite struct FuzzRegressionTests {
    static let project = "<Project xmlns=\"http://schemas.microsoft.com/project\">"

    func read(_ bytes: [UInt8]) -> Result<ImportedPlan, InterchangeError> {
        Result { () throws(InterchangeError) in try PlanReader.read(Data(bytes), format: .mspdi, projectCode: "RX1-PACS") }
    }

    /// FoundationXML trapped on names, comments and processing instructions that are not UTF-8.
    @Test(arguments: [
        "<Li\u{FD}\u{FD}>x</Li\u{FD}\u{FD}>",                 // element name
        "<Name a\u{FD}=\"1\">x</Name>",                        // attribute name
        "<Name xmlns:p\u{FD}=\"u\">x</Name>",                  // namespace prefix
        "<!-- \u{FD} -->",                                     // comment
        "<?p\u{FD} x?>",                                       // processing instruction
    ])
    func notUTF8IsRefused(body: String) {
        // Each scalar below U+0100 stands for the byte of that value.
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + Self.project + "\n" + body + "</Project>"
        guard case .failure(let error) = read(text.unicodeScalars.map { UInt8($0.value) }) else {
            Issue.record("the file was accepted")
            return
        }
        #expect(error.reason == .malformed)
        #expect(error.line == 3)
        #expect(error.message.contains("not valid UTF-8 (byte 0xFD)"), "\(error)")
    }

    /// libxml2 read the file as UTF-8 when the declared encoding's name was garbled.
    @Test func garbledEncodingNameIsRefused() {
        let text = "<?xml version=\"1.0\" encoding=\"U\u{F7}\u{F7}TF-8\"?>\n" + Self.project + "<Ti\u{EF}tle>x</Ti\u{EF}tle></Project>"
        guard case .failure(let error) = read(text.unicodeScalars.map { UInt8($0.value) }) else {
            Issue.record("the file was accepted")
            return
        }
        #expect(error.reason == .malformed)
        #expect(error.line == 1)
    }

    /// FoundationXML crashed (a null pointer) on a processing instruction without data.
    @Test(arguments: ["<?foo?>\n" + project + "</Project>", project + "\n<?foo?></Project>", project + "</Project>\n<?xml?>"])
    func dataLessProcessingInstructionIsRefused(text: String) {
        guard case .failure(let error) = read(Array(text.utf8)) else {
            Issue.record("the file was accepted")
            return
        }
        #expect(error.line == (text.hasPrefix("<?foo") ? 1 : 2))
        #expect(error.message.contains("processing instruction without data"), "\(error)")
    }

    /// UTF-16 is converted before the checks, so a DOCTYPE cannot hide in it.
    @Test func utf16DoctypeIsRefused() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE Project [<!ENTITY a \"aa\">]>\n" + Self.project + "</Project>"
        let data = try #require(text.data(using: .utf16))
        guard case .failure(let error) = read(Array(data)) else {
            Issue.record("the file was accepted")
            return
        }
        #expect(error.line == 2)
        #expect(error.message.contains("<!DOCTYPE>"), "\(error)")
    }

    /// Files in the encodings libxml2 used to convert still read.
    @Test(arguments: ["ISO-8859-1", "windows-1252"])
    func latinFilesAreConverted(encoding: String) throws {
        var plan = Sample.plan
        plan.tasks[1].name = "Café “kick-off”" // the quotes are Windows-1252 only
        if encoding == "ISO-8859-1" { plan.tasks[1].name = "Café kick-off" }
        let utf8 = Sample.text(PlanWriter.write(plan, format: .mspdi, taskDates: Sample.dates))
        let text = utf8.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"")
        let data = try #require(text.data(using: encoding == "ISO-8859-1" ? .isoLatin1 : .windowsCP1252))
        #expect(MSPDIInput.firstInvalidUTF8(data) != nil)
        let back = try PlanReader.read(data, format: .mspdi, projectCode: "RX1-PACS")
        #expect(back.plan.tasks[1].name == plan.tasks[1].name)
    }

    @Test func utf16FilesRead() throws {
        let utf8 = Sample.text(PlanWriter.write(Sample.plan, format: .mspdi, taskDates: Sample.dates))
        let text = utf8.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        let data = try #require(text.data(using: .utf16)) // with a byte order mark
        let back = try PlanReader.read(data, format: .mspdi, projectCode: "RX1-PACS")
        #expect(back.plan.tasks == Sample.plan.tasks)
    }
}
