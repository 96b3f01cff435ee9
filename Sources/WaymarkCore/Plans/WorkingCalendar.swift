/// Working days: Monday to Friday, less the calendar's holidays, plus any extra working days
/// (an organisation's exceptions, such as a go-live weekend).
public struct WorkingCalendar: Sendable, Hashable {
    public let holidays: Set<Day>
    /// Days worked although they fall at a weekend or on a holiday.
    public let extraWorkingDays: Set<Day>

    public init(holidays: Set<Day>, extraWorkingDays: Set<Day> = []) {
        self.holidays = holidays
        self.extraWorkingDays = extraWorkingDays
    }

    /// England and Wales bank holidays (see `EnglishBankHolidays`).
    public static let england = WorkingCalendar(holidays: Set(EnglishBankHolidays.all))

    /// This calendar with an organisation's exceptions added.
    public func with(holidays extra: Set<Day>, workingDays: Set<Day>) -> WorkingCalendar {
        WorkingCalendar(holidays: holidays.union(extra).subtracting(workingDays),
                        extraWorkingDays: extraWorkingDays.union(workingDays))
    }

    public func isWorkingDay(_ day: Day) -> Bool {
        extraWorkingDays.contains(day) || (!day.isWeekend && !holidays.contains(day))
    }

    /// Working days from `start` to `end`: counts the working days in (start, end] when end is
    /// later, and is negative (the working days in (end, start]) when end is earlier. A forecast
    /// one working day after its baseline has slipped by 1.
    public func workingDays(from start: Day, to end: Day) -> Int {
        if start == end { return 0 }
        let (low, high, sign) = start < end ? (start, end, 1) : (end, start, -1)
        // Whole weeks first, then the remainder day by day; holidays are subtracted after.
        let span = high.ordinal - low.ordinal
        var count = (span / 7) * 5
        var day = low.adding(days: (span / 7) * 7)
        while day < high {
            day = day.adding(days: 1)
            if !day.isWeekend { count += 1 }
        }
        for holiday in holidays where holiday > low && holiday <= high && !holiday.isWeekend && !extraWorkingDays.contains(holiday) {
            count -= 1
        }
        for extra in extraWorkingDays where extra > low && extra <= high && (extra.isWeekend || holidays.contains(extra)) {
            count += 1
        }
        return sign * count
    }

    /// The working day `count` working days after `day` (before it when negative).
    public func adding(workingDays count: Int, to day: Day) -> Day {
        var result = day
        var remaining = abs(count)
        let step = count >= 0 ? 1 : -1
        while remaining > 0 {
            result = result.adding(days: step)
            if isWorkingDay(result) { remaining -= 1 }
        }
        return result
    }
}
