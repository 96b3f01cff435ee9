/// What a data-quality check found (issue 14): counts only. No identifier or demographic value
/// is ever part of it, so it can be stored, logged and shown.
public struct DataQualityCounts: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Codable {
        /// A CSV extract with an NHS Number column and demographic columns.
        case extract
        /// A plain list of NHS Numbers, one per line.
        case list
    }

    /// A demographic column and how many records leave it empty.
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var missing: Int
        public init(name: String, missing: Int) {
            self.name = name
            self.missing = missing
        }
    }

    public var source: Source
    public var records = 0
    public var valid = 0
    public var invalid = 0
    public var missing = 0
    /// Records whose valid number appeared earlier in the same file.
    public var duplicates = 0
    /// Rows with more or fewer cells than the header (still counted as records).
    public var malformedRows = 0
    public var fields: [Field] = []

    public init(source: Source) { self.source = source }

    /// Valid numbers per thousand records, so stored figures are exact integers.
    public var validPerMille: Int { records == 0 ? 0 : valid * 1000 / records }
}

/// Why a file cannot be checked; nothing is recorded for it.
public struct DataQualityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads an extract as a stream, a chunk at a time, keeping only counts (issue 14). While the file
/// is read it holds the valid numbers seen, as nine-digit prefixes, to count duplicates; they are
/// dropped with the reader. CSV as RFC 4180 (quoted cells, CRLF or LF), read leniently.
public struct DataQualityReader {
    /// Header names that mean "NHS Number", compared lower case with only letters and digits.
    static let numberColumns: Set<String> = ["nhsnumber", "nhsno", "nhsnum", "nhs"]
    static let longestHeader = 64 * 1024

    private enum Cell: UInt8 { case start, unquoted, quoted, quoteSeen }

    private var inHeader = true
    private var header: [[UInt8]] = []
    private var headerCell: [UInt8] = []
    private var columns = 0
    private var numberColumn = 0
    private var counts = DataQualityCounts(source: .extract)
    private var missingByColumn: [Int] = []
    private var seen = Set<UInt32>()

    private var cell = Cell.start
    private var column = 0
    private var rowBytes = 0
    private var line = 1
    private var quoteLine = 0
    private var digits = NHSNumber.Digits()
    private var filled = false
    private var verdict = NHSNumber.Digits.Verdict.missing
    private var prefix: UInt32 = 0

    public init() {}

    /// Reads the next part of the file.
    public mutating func read(_ chunk: UnsafeRawBufferPointer) throws(DataQualityError) {
        for byte in chunk {
            if byte == 0 { throw DataQualityError("This is not a CSV file: line \(line) holds binary data. Send a CSV extract, or a plain list of NHS Numbers.") }
            switch cell {
            case .quoted:
                if byte == 34 { cell = .quoteSeen; continue }
                if byte == 10 { line &+= 1 }
                content(byte)
                continue
            case .quoteSeen:
                if byte == 34 { cell = .quoted; content(byte); continue }
                cell = .unquoted
            case .start, .unquoted:
                break
            }
            switch byte {
            case 44: try endCell()
            case 10:
                line &+= 1
                try endRow()
            case 13: continue
            case 34 where cell == .start:
                cell = .quoted
                quoteLine = line
                rowBytes &+= 1
            default:
                cell = .unquoted
                content(byte)
            }
        }
    }

    /// The counts, once the whole file has been read.
    public mutating func finish() throws(DataQualityError) -> DataQualityCounts {
        if cell == .quoted {
            throw DataQualityError("The file ends inside a quoted cell opened on line \(quoteLine); it is not well-formed CSV.")
        }
        if rowBytes > 0 || column > 0 { try endRow() }
        if inHeader { throw DataQualityError("The file is empty. Send a CSV extract with an NHS Number column, or a list of NHS Numbers.") }
        if counts.records == 0 { throw DataQualityError("The file has a header but no records; there is nothing to check.") }
        counts.fields = zip(header.indices, header).compactMap { index, name in
            index == numberColumn || counts.source == .list ? nil
                : DataQualityCounts.Field(name: String(decoding: name, as: UTF8.self).trimmedWhitespace, missing: missingByColumn[index])
        }
        return counts
    }

    @inline(__always) private mutating func content(_ byte: UInt8) {
        rowBytes &+= 1
        if inHeader {
            headerCell.append(byte)
        } else if column == numberColumn {
            digits.add(byte)
        } else if byte != 32 && byte != 9 {
            filled = true
        }
    }

    private mutating func endCell() throws(DataQualityError) {
        if inHeader {
            guard header.count < 1000, rowBytes < Self.longestHeader else {
                throw DataQualityError("The first line is not a CSV header (over 1,000 columns or 64 KB); this does not look like a CSV extract.")
            }
            header.append(headerCell)
            headerCell = []
        } else if column == numberColumn {
            verdict = digits.verdict
            prefix = digits.prefix
        } else if column < columns && !filled {
            missingByColumn[column] &+= 1
        }
        column &+= 1
        digits = NHSNumber.Digits()
        filled = false
        cell = .start
    }

    private mutating func endRow() throws(DataQualityError) {
        if rowBytes == 0 && column == 0 && cell == .start { return }
        try endCell()
        if inHeader {
            try startBody()
        } else {
            if column != columns {
                counts.malformedRows &+= 1
                for absent in column..<max(column, columns) where absent != numberColumn { missingByColumn[absent] &+= 1 }
            }
            count(verdict)
        }
        column = 0
        rowBytes = 0
        verdict = .missing
    }

    @inline(__always) private mutating func count(_ verdict: NHSNumber.Digits.Verdict) {
        counts.records &+= 1
        switch verdict {
        case .valid:
            counts.valid &+= 1
            if !seen.insert(prefix).inserted { counts.duplicates &+= 1 }
        case .invalid: counts.invalid &+= 1
        case .missing: counts.missing &+= 1
        }
    }

    /// The header decides the layout: a column named for the NHS Number, or (one cell of digits
    /// and no header) a plain list whose first line is already a number.
    private mutating func startBody() throws(DataQualityError) {
        inHeader = false
        columns = header.count
        missingByColumn = Array(repeating: 0, count: columns)
        let names = header.map { String(decoding: $0, as: UTF8.self).lowercased().filter { $0.isLetter || $0.isNumber } }
        if let index = names.firstIndex(where: Self.numberColumns.contains) {
            numberColumn = index
            return
        }
        let first = header.first ?? []
        guard columns == 1, first.contains(where: { $0 &- 48 < 10 }),
              first.allSatisfy({ $0 &- 48 < 10 || $0 == 32 || $0 == 45 || $0 == 9 }) else {
            throw DataQualityError("The extract has no NHS Number column. Name one column 'NHS Number' (its header), or send a plain list of NHS Numbers, one per line.")
        }
        counts.source = .list
        numberColumn = 0
        var number = NHSNumber.Digits()
        for byte in first { number.add(byte) }
        prefix = number.prefix
        count(number.verdict)
    }
}
