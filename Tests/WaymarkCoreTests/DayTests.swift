import Foundation
import Testing
import WaymarkCore

@Suite("Day")
struct DayTests {
    static let first = Day(year: 1, month: 1, day: 1)!
    static let last = Day(year: 9999, month: 12, day: 31)!

    @Test func epochIsOrdinalZero() throws {
        let epoch = try #require(Day(year: 1970, month: 1, day: 1))
        #expect(epoch.ordinal == 0)
        #expect(epoch.iso == "1970-01-01")
        #expect(Day(ordinal: -1).iso == "1969-12-31")
        #expect(Day(ordinal: 365).iso == "1971-01-01")
        #expect(Day(ordinal: 10_957).iso == "2000-01-01")
    }

    @Test func supportedRangeEnds() {
        #expect(Self.first.ordinal == -719_162)
        #expect(Self.last.ordinal == 2_932_896)
        #expect(Self.first.iso == "0001-01-01")
        #expect(Self.last.iso == "9999-12-31")
    }

    /// Every 13th day from 0001-01-01 to 9999-12-31 (about 280,000 days) formats and parses back to itself.
    @Test func isoRoundTripAcrossTheWholeRange() {
        var failures: [Int] = []
        for ordinal in stride(from: Self.first.ordinal, through: Self.last.ordinal, by: 13) {
            let original = Day(ordinal: ordinal)
            let text = original.iso
            let (y, m, d) = original.components
            if Day(iso: text) != original || Day(year: y, month: m, day: d) != original || text.utf8.count != 10 {
                failures.append(ordinal)
            }
        }
        #expect(failures.isEmpty, "round trip failed for ordinals \(failures.prefix(10))")
        #expect(Day(iso: Self.last.iso) == Self.last)
    }

    /// Walks the calendar one day at a time from 1700 to 2300 with an independent leap-year rule,
    /// checking the ordinal arithmetic against it.
    @Test func componentsMatchADayByDayWalk() {
        func isLeap(_ y: Int) -> Bool { y % 400 == 0 || (y % 4 == 0 && y % 100 != 0) }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var (y, m, d) = (1700, 1, 1)
        var ordinal = Day(year: 1700, month: 1, day: 1)!.ordinal
        var failures: [String] = []
        while y < 2300 {
            let dayValue = Day(ordinal: ordinal)
            let c = dayValue.components
            if c.year != y || c.month != m || c.day != d { failures.append("\(ordinal): \(dayValue.iso) != \(y)-\(m)-\(d)") }
            if Day(year: y, month: m, day: d)?.ordinal != ordinal { failures.append("init \(y)-\(m)-\(d)") }
            ordinal += 1
            d += 1
            let length = m == 2 && isLeap(y) ? 29 : lengths[m - 1]
            if d > length { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// Foundation's Gregorian calendar is an independent oracle (only after 1582, where it stops being Julian).
    @Test func agreesWithFoundationGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var random = SplitMix64(seed: 1)
        let low = Day(year: 1600, month: 1, day: 1)!.ordinal
        let high = Day(year: 2400, month: 12, day: 31)!.ordinal
        var failures: [String] = []
        for _ in 0..<2_000 {
            let value = Day(ordinal: low + random.below(high - low + 1))
            let date = Date(timeIntervalSince1970: TimeInterval(value.ordinal) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            // Foundation: 1 = Sunday ... 7 = Saturday; Day: 0 = Monday ... 6 = Sunday.
            let expectedWeekday = (try #require(parts.weekday) + 5) % 7
            let c = value.components
            if parts.year != c.year || parts.month != c.month || parts.day != c.day || value.weekday != expectedWeekday {
                failures.append(value.iso)
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test(arguments: [
        "2025-2-01", "2025-02-30", "abcd-ef-gh", "2025/02/01", "",
        "2025-02-1", "20250201", " 2025-02-01", "2025-02-01 ", "2025-02-01T00:00",
        "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32", "2025-04-31", "0000-01-01",
        "2023-02-29", "1900-02-29", "2100-02-29", "+025-02-01", "-025-02-01", "2025-0a-01", "2025-02-0 ",
        "２０２５-02-01", "2025—02-01", "2025-0/-01", "2025-01-0:", "202/-01-01",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test(arguments: [
        (2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (2400, true),
        (1600, true), (1, false), (4, true), (9996, true), (9999, false),
    ])
    func leapYears(year: Int, isLeap: Bool) throws {
        #expect((Day(year: year, month: 2, day: 29) != nil) == isLeap)
        #expect((Day(iso: String(repeating: "0", count: 4 - String(year).count) + "\(year)-02-29") != nil) == isLeap)
        let start = try #require(Day(year: year, month: 1, day: 1))
        let end = try #require(Day(year: year, month: 12, day: 31))
        #expect(end.ordinal - start.ordinal + 1 == (isLeap ? 366 : 365))
        if isLeap {
            #expect(Day(year: year, month: 2, day: 28)!.adding(days: 1).iso.hasSuffix("-02-29"))
        } else {
            #expect(Day(year: year, month: 2, day: 28)!.adding(days: 1).iso.hasSuffix("-03-01"))
        }
    }

    @Test(arguments: [(0, 31), (1, 28), (2, 31), (3, 30), (4, 31), (5, 30), (6, 31), (7, 31), (8, 30), (9, 31), (10, 30), (11, 31)])
    func monthLengthsIn2025(monthIndex: Int, length: Int) {
        let month = monthIndex + 1
        #expect(Day(year: 2025, month: month, day: length) != nil)
        #expect(Day(year: 2025, month: month, day: length + 1) == nil)
        #expect(Day(year: 2025, month: month, day: 0) == nil)
    }

    @Test func rejectsOutOfRangeComponents() {
        #expect(Day(year: 0, month: 1, day: 1) == nil)
        #expect(Day(year: 10_000, month: 1, day: 1) == nil)
        #expect(Day(year: -5, month: 1, day: 1) == nil)
        #expect(Day(year: 2025, month: 0, day: 1) == nil)
        #expect(Day(year: 2025, month: 13, day: 1) == nil)
        #expect(Day(year: 2025, month: 1, day: -1) == nil)
    }

    @Test(arguments: [
        ("1970-01-01", 3), ("2026-11-24", 1), ("2000-01-01", 5), ("1969-12-31", 2), ("1969-12-29", 0),
        ("2024-02-29", 3), ("1900-01-01", 0), ("0001-01-01", 0), ("9999-12-31", 4), ("2026-11-29", 6),
    ])
    func weekday(iso: String, weekday: Int) {
        let value = day(iso)
        #expect(value.weekday == weekday)
        #expect(value.isWeekend == (weekday >= 5))
    }

    @Test func weekdaysCycleThroughNegativeAndPositiveOrdinals() {
        var failures: [Int] = []
        for ordinal in -3_000...3_000 {
            let current = Day(ordinal: ordinal), tomorrow = Day(ordinal: ordinal + 1)
            if !(0...6).contains(current.weekday) || tomorrow.weekday != (current.weekday + 1) % 7 { failures.append(ordinal) }
            if current.isWeekend != (current.weekday >= 5) { failures.append(ordinal) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        #expect(day("1970-01-01").weekday == 3, "1970-01-01 was a Thursday")
        #expect(day("2026-11-24").weekday == 1, "2026-11-24 is a Tuesday")
        #expect(day("2026-11-28").isWeekend && day("2026-11-29").isWeekend && !day("2026-11-27").isWeekend)
    }

    @Test func comparisonArithmeticAndDescription() {
        let a = day("2026-12-31"), b = day("2027-01-01")
        #expect(a < b)
        #expect(!(b < a))
        #expect(a.adding(days: 1) == b)
        #expect(b.adding(days: -1) == a)
        #expect(day("2024-02-28").adding(days: 2) == day("2024-03-01"))
        #expect(day("2026-11-24").adding(days: 365) == day("2027-11-24"))
        #expect(a.description == "2026-12-31")
        #expect("\(b)" == "2027-01-01")
        #expect([b, a, day("1999-12-31")].sorted().map(\.iso) == ["1999-12-31", "2026-12-31", "2027-01-01"])
        #expect(Set([a, day("2026-12-31"), b]).count == 2)
        #expect(Day(iso: "x2026-11-24".dropFirst()) == today, "parses any StringProtocol, e.g. Substring")
    }

    // MARK: Codable

    private struct Wrapper: Codable, Equatable {
        var due: Day
        var done: Day?
    }

    @Test func encodesAsISOString() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(Wrapper(due: day("2026-11-24"), done: day("0001-01-01")))
        #expect(String(decoding: data, as: UTF8.self) == #"{"done":"0001-01-01","due":"2026-11-24"}"#)
        let decoded = try JSONDecoder().decode(Wrapper.self, from: data)
        #expect(decoded == Wrapper(due: day("2026-11-24"), done: day("0001-01-01")))
        let days = [Self.first, today, Self.last]
        #expect(try JSONDecoder().decode([Day].self, from: JSONEncoder().encode(days)) == days)
    }

    @Test(arguments: ["2025-02-30", "2025-2-01", "abcd-ef-gh", "2025/02/01", "", "2026-11-24T10:00:00Z"])
    func decodingMalformedStringIsDataCorrupted(_ text: String) throws {
        let json = Data(#"{"due":"\#(text)"}"#.utf8)
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Wrapper.self, from: json)
        }
        guard case .dataCorrupted(let context)? = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["due"])
        #expect(context.debugDescription.contains("'\(text)'"))
        #expect(context.debugDescription.contains("YYYY-MM-DD"))
    }

    @Test func decodingNonStringIsTypeMismatch() {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Wrapper.self, from: Data(#"{"due":20261124}"#.utf8))
        }
        guard case .typeMismatch? = error else {
            Issue.record("expected typeMismatch, got \(String(describing: error))")
            return
        }
    }

    @Test func decodingNullForNonOptionalDayFails() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Wrapper.self, from: Data(#"{"due":null}"#.utf8))
        }
        #expect(throws: Never.self) {
            _ = try JSONDecoder().decode(Wrapper.self, from: Data(#"{"due":"2026-11-24","done":null}"#.utf8))
        }
    }
}
