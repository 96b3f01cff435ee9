import Testing
import WaymarkCore

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    let england = WorkingCalendar.england

    /// Counts working days in (start, end] one day at a time, negated when end is earlier.
    static func bruteForce(_ calendar: WorkingCalendar, from start: Day, to end: Day) -> Int {
        let (low, high, sign) = start <= end ? (start, end, 1) : (end, start, -1)
        var count = 0
        var current = low
        while current < high {
            current = current.adding(days: 1)
            if !current.isWeekend && !calendar.holidays.contains(current) { count += 1 }
        }
        return sign * count
    }

    // MARK: Bank holiday data (DOMAIN.md §13)

    @Test(arguments: [
        (2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"]),
        (2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]),
        (2027, ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"]),
    ])
    func bankHolidaysMatchTheDomainReference(year: Int, expected: [String]) {
        let actual = EnglishBankHolidays.all.filter { $0.components.year == year }.map(\.iso).sorted()
        #expect(actual == expected)
        for iso in expected {
            #expect(!england.isWorkingDay(day(iso)), "\(iso) is a bank holiday")
        }
    }

    @Test func bankHolidaysAreWeekdaysSortedAndUnique() {
        let all = EnglishBankHolidays.all
        #expect(all.count >= 8 * 9, "2022-2030 at least")
        #expect(all.allSatisfy { !$0.isWeekend }, "weekend holidays are substituted by weekdays")
        #expect(all == all.sorted())
        #expect(Set(all).count == all.count)
        #expect(england.holidays == Set(all))
        #expect(all.allSatisfy { (2022...2030).contains($0.components.year) })
    }

    @Test(arguments: [
        ("2026-11-24", true), ("2026-11-28", false), ("2026-11-29", false), ("2026-12-24", true),
        ("2026-12-25", false), ("2026-12-26", false), ("2026-12-28", false), ("2026-12-29", true),
        ("2027-03-26", false), ("2027-03-29", false), ("2027-03-30", true), ("2027-12-27", false),
    ])
    func isWorkingDay(iso: String, expected: Bool) {
        #expect(england.isWorkingDay(day(iso)) == expected)
    }

    // MARK: workingDays(from:to:)

    @Test(arguments: [
        ("2026-12-24", "2026-12-29", 1),   // Christmas (Fri) and the Boxing Day substitute (Mon 28th)
        ("2027-03-25", "2027-03-30", 1),   // Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar
        ("2027-12-24", "2027-12-29", 1),   // Christmas and Boxing Day substitutes 27 and 28 Dec 2027
        ("2025-04-17", "2025-04-22", 1),   // Easter 2025
        ("2026-12-18", "2027-01-04", 8),   // Christmas to New Year 2026/27
        ("2027-05-28", "2027-06-01", 1),   // Spring bank holiday 31 May 2027
        ("2026-08-28", "2026-09-01", 1),   // Summer bank holiday 31 Aug 2026
        ("2026-11-23", "2026-11-30", 5),   // an ordinary week
        ("2026-11-27", "2026-11-30", 1),   // Friday to Monday
        ("2026-11-28", "2026-11-29", 0),   // Saturday to Sunday
        ("2026-11-24", "2026-11-25", 1),
        ("2026-01-01", "2026-12-31", 253), // 2026: 261 weekdays, 8 bank holidays
        ("2026-11-24", "2027-11-24", 253),
        ("2027-03-19", "2027-04-20", 20),
        ("2027-03-19", "2027-04-21", 21),
        ("2035-12-24", "2035-12-27", 3),   // outside the table only weekends are skipped
    ])
    func knownSpans(from: String, to: String, expected: Int) {
        #expect(england.workingDays(from: day(from), to: day(to)) == expected)
        #expect(england.workingDays(from: day(to), to: day(from)) == -expected, "reversed span is negative")
    }

    @Test func negativeSpans() {
        #expect(england.workingDays(from: day("2026-12-29"), to: day("2026-12-24")) == -1)
        #expect(england.workingDays(from: day("2027-03-30"), to: day("2027-03-25")) == -1)
        #expect(england.workingDays(from: day("2026-11-30"), to: day("2026-11-23")) == -5)
        // (end, start]: Monday back to the Friday before counts the Monday only.
        #expect(england.workingDays(from: day("2026-11-30"), to: day("2026-11-27")) == -1)
    }

    @Test(arguments: ["2026-11-24", "2026-11-28", "2026-12-25", "2027-03-29", "1970-01-01", "2040-06-15"])
    func equalDaysAreZero(iso: String) {
        #expect(england.workingDays(from: day(iso), to: day(iso)) == 0)
    }

    @Test func weekendHolidaysAreNotSubtractedTwice() {
        let saturday = day("2026-11-28")
        let calendar = WorkingCalendar(holidays: [saturday, day("2026-11-25")])
        #expect(calendar.workingDays(from: day("2026-11-23"), to: day("2026-11-30")) == 4)
        #expect(WorkingCalendar(holidays: []).workingDays(from: day("2026-12-24"), to: day("2026-12-29")) == 3)
    }

    /// workingDays agrees with a day-by-day count over random pairs, inside and around the holiday table.
    @Test(arguments: [(UInt64(1), 400), (UInt64(2), 4_000)])
    func matchesBruteForceOnRandomPairs(seed: UInt64, maxSpan: Int) {
        var random = SplitMix64(seed: seed)
        let base = day("2020-06-01").ordinal
        let range = day("2032-06-01").ordinal - base
        let calendars = [england, WorkingCalendar(holidays: []),
                         WorkingCalendar(holidays: [day("2026-11-25"), day("2026-11-28"), day("2027-01-01")])]
        var failures: [String] = []
        for i in 0..<1_500 {
            let calendar = calendars[i % calendars.count]
            let start = Day(ordinal: base + random.below(range))
            let end = start.adding(days: random.below(2 * maxSpan + 1) - maxSpan)
            let fast = calendar.workingDays(from: start, to: end)
            let slow = Self.bruteForce(calendar, from: start, to: end)
            if fast != slow { failures.append("\(start) -> \(end): \(fast) vs \(slow)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// Every start weekday against every span of up to five weeks, so each remainder path is exercised.
    @Test func matchesBruteForceOnEveryShortSpan() {
        var failures: [String] = []
        for start in 0..<14 {
            let from = day("2026-12-14").adding(days: start)
            for span in -36...36 {
                let to = from.adding(days: span)
                let fast = england.workingDays(from: from, to: to)
                let slow = Self.bruteForce(england, from: from, to: to)
                if fast != slow { failures.append("\(from) -> \(to): \(fast) vs \(slow)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    // MARK: adding(workingDays:to:)

    @Test func addingKnownCounts() {
        #expect(england.adding(workingDays: 1, to: day("2026-12-24")) == day("2026-12-29"))
        #expect(england.adding(workingDays: -1, to: day("2026-12-29")) == day("2026-12-24"))
        #expect(england.adding(workingDays: 1, to: day("2027-03-25")) == day("2027-03-30"))
        #expect(england.adding(workingDays: 5, to: day("2026-11-24")) == day("2026-12-01"))
        #expect(england.adding(workingDays: 1, to: day("2026-11-28")) == day("2026-11-30"), "Saturday + 1 is Monday")
        #expect(england.adding(workingDays: -1, to: day("2026-11-29")) == day("2026-11-27"), "Sunday - 1 is Friday")
        #expect(england.adding(workingDays: 0, to: day("2026-11-28")) == day("2026-11-28"), "zero is the day itself")
        #expect(england.adding(workingDays: 0, to: today) == today)
        #expect(england.adding(workingDays: 8, to: day("2026-12-18")) == day("2027-01-04"))
    }

    @Test func addingIsTheInverseOfWorkingDaysOnWorkingDays() {
        var random = SplitMix64(seed: 7)
        var failures: [String] = []
        var checked = 0
        while checked < 1_000 {
            let start = Day(ordinal: day("2021-01-01").ordinal + random.below(11 * 365))
            guard england.isWorkingDay(start) else { continue }
            checked += 1
            let count = random.below(601) - 300
            let end = england.adding(workingDays: count, to: start)
            if england.workingDays(from: start, to: end) != count { failures.append("\(start) + \(count) = \(end)") }
            if count != 0 && !england.isWorkingDay(end) { failures.append("\(start) + \(count) = \(end) is not a working day") }
            if england.adding(workingDays: -count, to: end) != start { failures.append("\(end) - \(count) != \(start)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func workingDaysToTheNextWorkingDayAfterAnyDayIsOne() {
        var failures: [String] = []
        for offset in 0..<800 {
            let start = day("2025-06-01").adding(days: offset)
            let next = england.adding(workingDays: 1, to: start)
            if england.workingDays(from: start, to: next) != 1 { failures.append(start.iso) }
            if next <= start { failures.append(start.iso) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }
}
