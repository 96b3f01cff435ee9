/// Task id → position in `plan.tasks`. Ids are usually dense (1…n from MS Project), so a flat
/// array is tried first; a dictionary serves sparse ids.
public struct TaskIndex: Sendable {
    private let base: Int
    /// Position + 1 by id − base (0 for no task), when the ids are dense.
    private let slots: [Int32]
    /// Positions by id, when they are not.
    private let map: [Int: Int32]
    private let isDense: Bool

    /// Throws the first id that appears twice.
    public init(_ tasks: [PlanTask]) throws(SchedulingError) {
        let count = tasks.count
        var low = Int.max, high = Int.min
        for i in 0..<count {
            let id = tasks[i].id
            if id < low { low = id }
            if id > high { high = id }
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        if count == 0 || (!overflow && span < 4 * count + 64) {
            var slots = [Int32](repeating: 0, count: count == 0 ? 0 : span + 1)
            for i in 0..<count {
                let slot = tasks[i].id - low
                if slots[slot] != 0 { throw .duplicateTaskID(tasks[i].id) }
                slots[slot] = Int32(i + 1)
            }
            (base, self.slots, map, isDense) = (low, slots, [:], true)
        } else {
            var map: [Int: Int32] = [:]
            map.reserveCapacity(count)
            for i in 0..<count where map.updateValue(Int32(i), forKey: tasks[i].id) != nil {
                throw .duplicateTaskID(tasks[i].id)
            }
            (base, slots, self.map, isDense) = (0, [], map, false)
        }
    }

    @inline(__always)
    public func position(of id: Int) -> Int? {
        if isDense {
            let slot = id &- base
            guard slot >= 0, slot < slots.count else { return nil }
            let position = Int(slots[slot]) - 1
            return position >= 0 ? position : nil
        }
        return map[id].map(Int.init)
    }
}

/// The calendar as a line of working days numbered from the plan start, so the passes do integer
/// arithmetic only. Index 0 is the first working day on or after `origin`; −1 is the last working
/// day before it. The table grows on demand in both directions.
struct WorkingDayLine {
    let calendar: WorkingCalendar
    let origin: Int
    /// Ordinals of working days on or after the origin: `ahead[i]` is index i.
    private(set) var ahead: [Int] = []
    /// Ordinals of working days before the origin, nearest first: `behind[k]` is index −(k+1).
    private(set) var behind: [Int] = []
    /// The next calendar day to examine in each direction.
    private var nextAhead: Int
    private var nextBehind: Int

    init(calendar: WorkingCalendar, origin: Day) {
        self.calendar = calendar
        self.origin = origin.ordinal
        nextAhead = origin.ordinal
        nextBehind = origin.ordinal - 1
        ahead.reserveCapacity(1024)
    }

    private mutating func scanAhead() {
        if calendar.isWorkingDay(Day(ordinal: nextAhead)) { ahead.append(nextAhead) }
        nextAhead += 1
    }

    private mutating func scanBehind() {
        if calendar.isWorkingDay(Day(ordinal: nextBehind)) { behind.append(nextBehind) }
        nextBehind -= 1
    }

    /// Makes `day(at:)` valid for every index in `range`.
    mutating func cover(_ range: ClosedRange<Int>) {
        while ahead.count <= range.upperBound { scanAhead() }
        while behind.count < -range.lowerBound { scanBehind() }
    }

    /// The working day with this index; `cover` it first.
    @inline(__always)
    func day(at index: Int) -> Day {
        Day(ordinal: index >= 0 ? ahead[index] : behind[-index - 1])
    }

    /// The index of the first working day on or after `day` (negative before the origin).
    mutating func index(onOrAfter day: Day) -> Int {
        let target = day.ordinal
        if target >= origin {
            while nextAhead <= target { scanAhead() }
            // Working days before `target` (binary search for the first ordinal ≥ target).
            var low = 0, high = ahead.count
            while low < high {
                let middle = (low + high) / 2
                if ahead[middle] < target { low = middle + 1 } else { high = middle }
            }
            return low
        } else {
            while nextBehind >= target { scanBehind() }
            // Minus the working days in [target, origin); `behind` is descending.
            var low = 0, high = behind.count
            while low < high {
                let middle = (low + high) / 2
                if behind[middle] >= target { low = middle + 1 } else { high = middle }
            }
            return -low
        }
    }

    /// The finish point of work whose last day is `day`: the index just after the last working
    /// day on or before it.
    mutating func index(after day: Day) -> Int { index(onOrAfter: day.adding(days: 1)) }
}
