import Foundation
import WaymarkCore

/// RFC 4180 records with the line each starts on, for other CSV files (the risk register):
/// the same tokenizer as the plan reader, so both refuse malformed files alike.
public enum CSVTable {
    public struct Record: Sendable {
        public var line: Int
        public var cells: [String]
    }

    public static func parse(_ data: Data) throws(InterchangeError) -> [Record] {
        try CSVReader.parse(Text.decode(data)).map { Record(line: $0.line, cells: $0.cells) }
    }

    /// Undoes the export's formula guard: a cell written as `'=…` reads back as `=…`.
    public static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@\t\r".contains(next) else { return cell }
        return String(cell.dropFirst())
    }
}
