import Testing
@testable import WaymarkCore

/// The NHS Number check (DOMAIN.md §13), as properties over many generated numbers.
@Suite("NHS Number")
struct NHSNumberTests {
    /// Ten digits: nine from the generator, then the check digit (nil when it would be 10).
    static func numbers(_ count: Int, seed: UInt64) -> [(nine: [Int], check: Int?)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let nine = (0..<9).map { _ in random.below(10) }
            return (nine, NHSNumber.checkDigit(nine))
        }
    }

    @Test("the published examples are valid; any number starting 123456789 is not, since its check digit would be 10")
    func published() {
        #expect(NHSNumber.isValid("9434765919") && NHSNumber.isValid("943 476 5919") && NHSNumber.isValid("401-023-2137"))
        #expect(NHSNumber.checkDigit([1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)
        for last in 0...9 { #expect(!NHSNumber.isValid("123456789\(last)")) }
        for bad in ["", "943476591", "94347659190", "9434765918", "943476591X", "9434765919a", "+9434765919"] {
            #expect(!NHSNumber.isValid(bad), "\(bad)")
        }
    }

    @Test("exactly one tenth digit completes nine digits, or none when the check digit would be 10")
    func oneCheckDigit() {
        var unusable = 0
        for (nine, check) in Self.numbers(3000, seed: 11) {
            let valid = (0...9).filter { NHSNumber.isValid(nine.map(String.init).joined() + String($0)) }
            #expect(valid == (check.map { [$0] } ?? []))
            if check == nil { unusable += 1 }
        }
        #expect(unusable > 150 && unusable < 450, "about one prefix in eleven has no check digit: \(unusable)")
    }

    @Test("changing any one digit, or swapping two different neighbours, of a valid number makes it invalid")
    func detectsSingleErrors() {
        for (nine, check) in Self.numbers(500, seed: 12) {
            guard let check else { continue }
            let digits = nine + [check]
            for position in 0..<10 {
                for replacement in 0...9 where replacement != digits[position] {
                    var changed = digits
                    changed[position] = replacement
                    #expect(!NHSNumber.isValid(changed.map(String.init).joined()))
                }
                if position < 9 && digits[position] != digits[position + 1] {
                    var swapped = digits
                    swapped.swapAt(position, position + 1)
                    #expect(!NHSNumber.isValid(swapped.map(String.init).joined()))
                }
            }
        }
    }
}

/// The streaming reader: what it counts, and that how the file is cut into chunks never matters.
@Suite("Data-quality reader")
struct DataQualityReaderTests {
    static func read(_ text: String, chunk: Int = 1 << 16) throws(DataQualityError) -> DataQualityCounts {
        var reader = DataQualityReader()
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            do {
                try bytes[start..<end].withUnsafeBytes { try reader.read($0) }
            } catch let error as DataQualityError {
                throw error
            } catch {
                Issue.record("unexpected \(error)")
            }
            start = end
        }
        return try reader.finish()
    }

    static let extract = """
        Family name,Given name,NHS Number,Date of birth,Postcode\r
        "Smith, Jr",Ann,943 476 5919,1950-01-01,LS1 1AA\r
        Jones,,4010232137,1960-02-02,\r
        "Line
        break",Bob,9434765918,1970-03-03,LS2 2BB\r
        Brown,Cy,,1980-04-04,LS3 3CC\r
        Green,Di,9434765919,,LS4 4DD\r
        Short,row\r
        \r
        """

    @Test("an extract: valid, invalid, missing and duplicate numbers, each demographic column's empty cells, and malformed rows")
    func extract() throws {
        let c = try Self.read(Self.extract)
        #expect(c.source == .extract && c.records == 6)
        #expect(c.valid == 3 && c.invalid == 1 && c.missing == 2 && c.duplicates == 1 && c.malformedRows == 1)
        #expect(c.fields.map(\.name) == ["Family name", "Given name", "Date of birth", "Postcode"])
        #expect(c.fields.map(\.missing) == [0, 1, 2, 2])
        #expect(c.validPerMille == 500)
    }

    @Test("a plain list of numbers, with or without a header")
    func list() throws {
        let c = try Self.read("9434765919\n4010232137\n1234567890\n\n9434765919")
        #expect(c.source == .list && c.records == 4 && c.valid == 3 && c.invalid == 1 && c.duplicates == 1 && c.fields.isEmpty)
        let headed = try Self.read("NHS_No\n9434765919\n")
        #expect(headed.source == .extract && headed.records == 1 && headed.valid == 1 && headed.fields.isEmpty)
    }

    @Test("the counts are the same however the file is cut into chunks")
    func chunking() throws {
        let whole = try Self.read(Self.extract)
        for size in [1, 2, 3, 7, 64] { #expect(try Self.read(Self.extract, chunk: size) == whole, "chunks of \(size)") }
    }

    @Test("no NHS Number column, a binary file, an empty file or an unclosed quote is refused with a reason")
    func refusals() {
        for (text, fragment) in [("Name,Postcode\nSmith,LS1 1AA\n", "no NHS Number column"), ("NHS Number\n94347\u{0}65919\n", "not a CSV file"),
                                 ("", "empty"), ("NHS Number,Name\n9434765919,\"Smith\n", "quoted cell opened on line 2"),
                                 ("hello\n", "no NHS Number column")] {
            do {
                _ = try Self.read(text)
                Issue.record("\(text.debugDescription) was read")
            } catch {
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }
}

@Suite("Survey catalogue")
struct SurveyCatalogueTests {
    @Test("every survey the guide lists has questions with unique ids; the overall rating is the worst given, ignoring not applicable")
    func catalogue() {
        let catalogue = SurveyCatalogue.latest
        for kind in SurveyKind.allCases { #expect(!catalogue.questions(kind).isEmpty, "\(kind)") }
        let ids = SurveyKind.allCases.flatMap { catalogue.questions($0).map(\.id) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(catalogue.questions(.organisationalReadiness).map(\.section)) == ["Staff to be trained", "Existing systems and their contracts",
                                                                                      "Resources, funding and approvals", "Site surveys"])
        var response = SurveyResponse(projectID: 1, kind: .data, catalogueVersion: 1, answers: [
            SurveyAnswer(questionID: "data.sources", rating: .ready), SurveyAnswer(questionID: "data.cleansing", rating: .notApplicable)])
        #expect(response.overall == .ready)
        response.answers.append(SurveyAnswer(questionID: "data.nhs-numbers", rating: .partlyReady))
        #expect(response.overall == .partlyReady)
        #expect(SurveyResponse(projectID: 1, kind: .data, catalogueVersion: 1, answers: [SurveyAnswer(questionID: "data.sources", rating: .notApplicable)]).overall == .notApplicable)
    }
}
