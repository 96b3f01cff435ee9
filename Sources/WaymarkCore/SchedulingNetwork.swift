/// The plan as a graph in working-day index space: one node per task (a summary's node is its
/// start gate) plus a finish gate per summary, and edges "target start ≥ source start + weight".
/// Every relation kind reduces to that form:
///   FS: w = d(pred) + lag;  SS: w = lag;  FF: w = d(pred) + lag − d(succ);  SF: w = lag − d(succ).
/// A dependency onto a summary (FS/SS) targets its start gate, which holds back each child; one
/// from a summary (FS/FF) leaves its finish gate, which waits for each child. Gates have no
/// duration, so they add exactly the children's dates and nothing else. Gates and their WBS edges
/// are only built for summaries that dependencies or constraints reach.
///
/// Adjacency is CSR (flat arrays indexed by node), the forward pass runs inside Kahn's
/// topological sort, and the backward pass walks that order in reverse.
struct CPMNetwork {
    let taskCount: Int
    let positions: TaskIndex
    /// By position.
    private var taskIDs: [Int]
    private(set) var nodeCount: Int
    /// Working days; 0 for gates.
    private var duration: [Int]
    /// Summary start gates (the summary's own node) and finish gates.
    private var isGate: [Bool]
    /// Per task, the nearest summary ancestor (−1 for none); empty when the plan has no summaries.
    private var parent: [Int32] = []
    /// Lower bound on the early start: plan start, SNET, other projects' tasks.
    private var release: [Int]
    /// MSO index, or Int.min.
    private var mustStart: [Int]
    /// Upper bound on the late start from MSO and FNLT, or Int.max.
    private var lateCap: [Int]
    /// Constrained tasks in plan order, with the constraint's index (the MSO start, or for FNLT
    /// the finish point that ends on the constraint date).
    private var constrained: [(task: Int, index: Int)] = []

    private var offsets: [Int32] = []
    private var targets: [Int32] = []
    private var weights: [Int] = []

    private var order: [Int32] = []
    private var earlyStart: [Int] = []
    private var driver: [Int32] = []
    private var lateStart: [Int] = []
    private var freeFloat: [Int] = []
    private var projectFinish = 0

    init(plan: ProjectPlan, external: [TaskReference: ExternalTaskDates],
         line: inout WorkingDayLine) throws(SchedulingError) {
        let tasks = plan.tasks
        let n = tasks.count
        taskCount = n
        for i in 0..<n where tasks[i].duration < 0 {
            throw .negativeDuration(taskID: tasks[i].id, duration: tasks[i].duration)
        }
        positions = try TaskIndex(tasks)

        duration = [Int](repeating: 0, count: n)
        isGate = [Bool](repeating: false, count: n)
        taskIDs = [Int](repeating: 0, count: n)
        var summaries: [Int] = []
        for i in 0..<n {
            taskIDs[i] = tasks[i].id
            if tasks[i].isSummary {
                isGate[i] = true
                summaries.append(i)
            } else {
                duration[i] = tasks[i].duration
            }
        }
        // Finish gates follow the tasks.
        var finishGate: [Int32] = []
        nodeCount = n
        if !summaries.isEmpty {
            finishGate = [Int32](repeating: -1, count: n)
            for s in summaries {
                finishGate[s] = Int32(nodeCount)
                nodeCount += 1
            }
            duration.append(contentsOf: repeatElement(0, count: summaries.count))
            isGate.append(contentsOf: repeatElement(true, count: summaries.count))
            parent = Self.parents(of: tasks, summaries: summaries)
            // Parents before children: a parent's WBS is a strict prefix of its child's.
            summaries.sort { tasks[$0].wbs.utf8.count < tasks[$1].wbs.utf8.count }
        }
        release = [Int](repeating: 0, count: nodeCount)
        mustStart = [Int](repeating: .min, count: nodeCount)
        lateCap = [Int](repeating: .max, count: nodeCount)

        var edges = Edges(capacity: plan.dependencies.count + (summaries.isEmpty ? 0 : 2 * n))

        // Which summaries need gates wired to their children.
        var needsStart = [Bool](repeating: false, count: summaries.isEmpty ? 0 : n)
        var needsFinish = needsStart

        let dependencies = plan.dependencies
        for k in 0..<dependencies.count {
            let dependency = dependencies[k]
            guard let s = positions.position(of: dependency.successorID) else {
                throw .unknownTask(dependency.successorID, dependency: dependency)
            }
            let fromFinish: Bool, toFinish: Bool
            switch dependency.kind {
            case .finishToStart: (fromFinish, toFinish) = (true, false)
            case .startToStart: (fromFinish, toFinish) = (false, false)
            case .finishToFinish: (fromFinish, toFinish) = (true, true)
            case .startToFinish: (fromFinish, toFinish) = (false, true)
            }
            if isGate[s] {
                if toFinish { throw .summaryDependency(dependency) }
                needsStart[s] = true
            }
            let successorShift = toFinish ? duration[s] : 0
            let reference = dependency.predecessor
            if let code = reference.projectCode, code != plan.projectCode {
                guard let dates = external[reference] else {
                    throw .missingExternalDates(reference, successorID: dependency.successorID)
                }
                let start = line.index(onOrAfter: dates.start)
                let point = !fromFinish ? start : (dates.isMilestone ? start : line.index(after: dates.finish))
                release[s] = max(release[s], point + dependency.lag - successorShift)
                continue
            }
            guard var p = positions.position(of: reference.taskID) else {
                throw .unknownTask(reference.taskID, dependency: dependency)
            }
            if isGate[p] {
                if !fromFinish { throw .summaryDependency(dependency) }
                needsFinish[p] = true
                p = Int(finishGate[p])
            }
            edges.add(p, s, (fromFinish ? duration[p] : 0) + dependency.lag - successorShift)
        }

        // Constraints. FNLT on a summary caps each of its tasks (collected top-down below).
        var summaryFinishLimit = [Int](repeating: .max, count: summaries.isEmpty ? 0 : n)
        for i in 0..<n {
            guard let constraint = tasks[i].constraint else { continue }
            switch constraint.kind {
            case .startNoEarlierThan:
                release[i] = max(release[i], line.index(onOrAfter: constraint.date))
                if isGate[i] { needsStart[i] = true }
            case .mustStartOn:
                let target = line.index(onOrAfter: constraint.date)
                mustStart[i] = target
                lateCap[i] = min(lateCap[i], target)
                if isGate[i] { needsStart[i] = true }
                constrained.append((i, target))
            case .finishNoLaterThan:
                let limit = line.index(after: constraint.date)
                // A milestone's date is its start, so it must start before the limit point.
                lateCap[i] = min(lateCap[i], limit - max(duration[i], 1))
                if isGate[i] { summaryFinishLimit[i] = limit }
                constrained.append((i, limit))
            }
        }

        if !summaries.isEmpty {
            for s in summaries {
                let p = Int(parent[s])
                guard p >= 0 else { continue }
                needsStart[s] = needsStart[s] || needsStart[p]
                needsFinish[s] = needsFinish[s] || needsFinish[p]
                summaryFinishLimit[s] = min(summaryFinishLimit[s], summaryFinishLimit[p])
            }
            var hasChildren = [Bool](repeating: false, count: n)
            for i in 0..<n {
                let p = Int(parent[i])
                guard p >= 0 else { continue }
                hasChildren[p] = true
                if needsStart[p] { edges.add(p, i, 0) }
                if needsFinish[p] {
                    if isGate[i] {
                        edges.add(Int(finishGate[i]), Int(finishGate[p]), 0)
                    } else {
                        edges.add(i, Int(finishGate[p]), duration[i])
                    }
                }
                if !isGate[i], summaryFinishLimit[p] != .max {
                    lateCap[i] = min(lateCap[i], summaryFinishLimit[p] - max(duration[i], 1))
                }
            }
            // An empty summary finishes where it starts.
            for s in summaries where !hasChildren[s] && needsStart[s] && needsFinish[s] {
                edges.add(s, Int(finishGate[s]), 0)
            }
        }

        // CSR by source node (a counting sort keeps each node's edges in dependency order).
        (offsets, targets, weights) = edges.adjacency(nodes: nodeCount)
    }

    /// Edges as they are found, before sorting by source.
    private struct Edges {
        var from: [Int32] = [], to: [Int32] = [], weight: [Int] = []

        init(capacity: Int) {
            from.reserveCapacity(capacity)
            to.reserveCapacity(capacity)
            weight.reserveCapacity(capacity)
        }

        mutating func add(_ source: Int, _ target: Int, _ weight: Int) {
            from.append(Int32(truncatingIfNeeded: source))
            to.append(Int32(truncatingIfNeeded: target))
            self.weight.append(weight)
        }

        func adjacency(nodes: Int) -> (offsets: [Int32], targets: [Int32], weights: [Int]) {
            var offsets = [Int32](repeating: 0, count: nodes + 1)
            for source in from { offsets[Int(source) + 1] += 1 }
            for v in 0..<nodes { offsets[v + 1] += offsets[v] }
            var next = offsets
            var targets = [Int32](repeating: 0, count: from.count)
            var weights = [Int](repeating: 0, count: from.count)
            for k in 0..<from.count {
                let source = Int(from[k])
                let slot = Int(next[source])
                next[source] += 1
                targets[slot] = to[k]
                weights[slot] = weight[k]
            }
            return (offsets, targets, weights)
        }
    }

    /// Each task's nearest summary ancestor by WBS prefix ("1.2" is the parent of "1.2.3").
    private static func parents(of tasks: [PlanTask], summaries: [Int]) -> [Int32] {
        var byWBS: [Substring: Int32] = [:]
        byWBS.reserveCapacity(summaries.count)
        for s in summaries where byWBS[tasks[s].wbs[...]] == nil {
            byWBS[tasks[s].wbs[...]] = Int32(s)
        }
        var parent = [Int32](repeating: -1, count: tasks.count)
        // In outline order a task's parent is usually the one found last, so compare bytes with
        // that first (every parent comes from `byWBS`, so an equal WBS is the same entry).
        var recent: Int32 = -1
        var recentWBS: [UInt8] = []
        let noParent: Int32 = -1, unknown: Int32 = -2
        for i in 0..<tasks.count {
            let quick = tasks[i].wbs.utf8.withContiguousStorageIfAvailable { bytes -> Int32 in
                var dot = bytes.count - 1
                while dot >= 0 && bytes[dot] != UInt8(ascii: ".") { dot -= 1 }
                guard dot >= 0 else { return noParent }
                guard recent >= 0, dot == recentWBS.count else { return unknown }
                for k in 0..<dot where bytes[k] != recentWBS[k] { return unknown }
                return recent
            } ?? unknown
            if quick != unknown {
                parent[i] = quick
                continue
            }
            var prefix = tasks[i].wbs[...]
            while let dot = prefix.utf8.lastIndex(of: UInt8(ascii: ".")) {
                prefix = prefix[..<dot]
                if let p = byWBS[prefix] {
                    parent[i] = p
                    recent = p
                    recentWBS = Array(prefix.utf8)
                    break
                }
            }
        }
        return parent
    }

    // MARK: Passes

    /// Early starts, in topological order (Kahn). Throws the first loop found.
    mutating func forwardPass() throws(SchedulingError) {
        let count = nodeCount
        var indegree = [Int32](repeating: 0, count: count)
        for target in targets { indegree[Int(target)] += 1 }
        var order = [Int32](repeating: 0, count: count)
        var tail = 0
        for v in 0..<count where indegree[v] == 0 {
            order[tail] = Int32(v)
            tail += 1
        }
        var earlyStart = release
        var driver = [Int32](repeating: -1, count: count)
        var finish = 0
        var head = 0
        offsets.withUnsafeBufferPointer { offsets in
        targets.withUnsafeBufferPointer { targets in
        weights.withUnsafeBufferPointer { weights in
        duration.withUnsafeBufferPointer { duration in
        mustStart.withUnsafeBufferPointer { mustStart in
        earlyStart.withUnsafeMutableBufferPointer { earlyStart in
        driver.withUnsafeMutableBufferPointer { driver in
        indegree.withUnsafeMutableBufferPointer { indegree in
        order.withUnsafeMutableBufferPointer { order in
            while head < tail {
                let v = Int(order[head])
                head += 1
                var start = earlyStart[v]
                let must = mustStart[v]
                if must > start {
                    start = must
                    earlyStart[v] = must
                    driver[v] = -1
                }
                let end = start + duration[v]
                if end > finish { finish = end }
                for k in Int(offsets[v])..<Int(offsets[v + 1]) {
                    let s = Int(targets[k])
                    let candidate = start + weights[k]
                    if candidate > earlyStart[s] {
                        earlyStart[s] = candidate
                        driver[s] = Int32(truncatingIfNeeded: v)
                    }
                    indegree[s] -= 1
                    if indegree[s] == 0 {
                        order[tail] = Int32(truncatingIfNeeded: s)
                        tail += 1
                    }
                }
            }
        }}}}}}}}}
        if tail < count { throw .cycle(loop(remaining: indegree)) }
        self.order = order
        self.earlyStart = earlyStart
        self.driver = driver
        projectFinish = finish
    }

    /// Late starts and free float, in reverse topological order. A task's late start is the
    /// least its successors allow and never past the project finish; its free float is the least
    /// slack to a successor, where slack into a gate carries on through the gate's own.
    mutating func backwardPass() {
        let count = nodeCount
        var lateStart = [Int](repeating: 0, count: count)
        var freeFloat = [Int](repeating: 0, count: count)
        var carried = [Int](repeating: 0, count: count)
        let finish = projectFinish
        offsets.withUnsafeBufferPointer { offsets in
        targets.withUnsafeBufferPointer { targets in
        weights.withUnsafeBufferPointer { weights in
        duration.withUnsafeBufferPointer { duration in
        lateCap.withUnsafeBufferPointer { lateCap in
        isGate.withUnsafeBufferPointer { isGate in
        earlyStart.withUnsafeBufferPointer { earlyStart in
        order.withUnsafeBufferPointer { order in
        lateStart.withUnsafeMutableBufferPointer { lateStart in
        freeFloat.withUnsafeMutableBufferPointer { freeFloat in
        carried.withUnsafeMutableBufferPointer { carried in
            var j = count
            while j > 0 {
                j -= 1
                let v = Int(order[j])
                let start = earlyStart[v]
                let end = start + duration[v]
                var late = min(finish - duration[v], lateCap[v])
                var free = finish - end
                for k in Int(offsets[v])..<Int(offsets[v + 1]) {
                    let s = Int(targets[k])
                    let weight = weights[k]
                    let allowed = lateStart[s] - weight
                    if allowed < late { late = allowed }
                    let slack = earlyStart[s] - start - weight + carried[s]
                    if slack < free { free = slack }
                }
                lateStart[v] = late
                freeFloat[v] = free
                if isGate[v] { carried[v] = free }
            }
        }}}}}}}}}}}
        self.lateStart = lateStart
        self.freeFloat = freeFloat
    }

    /// One loop among the nodes Kahn could not order: every such node has an unordered
    /// predecessor, so walking predecessors must come back on itself.
    private func loop(remaining indegree: [Int32]) -> [Int] {
        var somePredecessor = [Int32](repeating: -1, count: nodeCount)
        var start = -1
        for u in 0..<nodeCount where indegree[u] > 0 {
            if start < 0 { start = u }
            for k in Int(offsets[u])..<Int(offsets[u + 1]) where indegree[Int(targets[k])] > 0 {
                somePredecessor[Int(targets[k])] = Int32(u)
            }
        }
        var step = [Int](repeating: -1, count: nodeCount)
        var walk: [Int] = []
        var v = start
        while step[v] < 0 {
            step[v] = walk.count
            walk.append(v)
            v = Int(somePredecessor[v])
        }
        // The walk went backwards; report the loop forwards.
        var nodes = Array(walk[step[v]...].reversed())
        // A stretch from a summary's start gate to its own finish gate is the summary itself.
        var gateOwner: [Int: Int] = [:]
        if nodeCount > taskCount {
            var gate = taskCount
            for i in 0..<taskCount where isGate[i] {
                gateOwner[gate] = i
                gate += 1
            }
        }
        var collapsed = true
        while collapsed {
            collapsed = false
            for (i, node) in nodes.enumerated() where node < taskCount && isGate[node] {
                let rest = Array(nodes[(i + 1)...] + nodes[..<i])
                guard let finish = rest.firstIndex(where: { gateOwner[$0] == node }) else { continue }
                nodes = [node] + rest[(finish + 1)...]
                collapsed = true
                break
            }
        }
        // Now each task or summary appears once.
        var ids = nodes.map { taskIDs[$0 < taskCount ? $0 : gateOwner[$0, default: 0]] }
        // Start at the smallest id so the same loop always reads the same way.
        if let first = ids.indices.min(by: { ids[$0] < ids[$1] }) {
            ids = Array(ids[first...] + ids[..<first])
        }
        return ids
    }


    // MARK: Results

    func schedule(_ plan: ProjectPlan, line: inout WorkingDayLine) -> Schedule {
        let tasks = plan.tasks
        let n = taskCount
        var lowest = 0
        for v in 0..<n where lateStart[v] < lowest { lowest = lateStart[v] }
        line.cover(lowest...max(projectFinish, 0))

        // Summaries span their tasks' dates (indices; a finish index is the last day worked).
        var spanStart: [Int] = [], spanFinish: [Int] = [], spanLateStart: [Int] = [], spanLateFinish: [Int] = []
        var spanTotal: [Int] = [], spanFree: [Int] = [], spanCount: [Int] = []
        if !parent.isEmpty {
            spanStart = [Int](repeating: .max, count: n)
            spanFinish = [Int](repeating: .min, count: n)
            spanLateStart = spanStart
            spanLateFinish = spanFinish
            spanTotal = spanStart
            spanFree = spanStart
            spanCount = [Int](repeating: 0, count: n)
            for i in 0..<n where !isGate[i] && parent[i] >= 0 {
                let d = duration[i]
                let total = lateStart[i] - earlyStart[i]
                let free = min(freeFloat[i], max(total, 0))
                let finish = earlyStart[i] + max(d, 1) - 1
                let lateFinish = lateStart[i] + max(d, 1) - 1
                var p = Int(parent[i])
                while p >= 0 {
                    spanStart[p] = min(spanStart[p], earlyStart[i])
                    spanFinish[p] = max(spanFinish[p], finish)
                    spanLateStart[p] = min(spanLateStart[p], lateStart[i])
                    spanLateFinish[p] = max(spanLateFinish[p], lateFinish)
                    spanTotal[p] = min(spanTotal[p], total)
                    spanFree[p] = min(spanFree[p], free)
                    spanCount[p] += 1
                    p = Int(parent[p])
                }
            }
        }

        var scheduled: [ScheduledTask] = []
        scheduled.reserveCapacity(n)
        var latestFinish = Int.min
        for i in 0..<n {
            let start: Int, finish: Int, late: Int, lateFinish: Int, total: Int, free: Int
            if isGate[i] && spanCount[i] > 0 {
                (start, finish, late, lateFinish) = (spanStart[i], spanFinish[i], spanLateStart[i], spanLateFinish[i])
                (total, free) = (spanTotal[i], spanFree[i])
            } else {
                // A task, or an empty summary (a milestone at its start gate).
                let last = max(duration[i], 1) - 1
                (start, late) = (earlyStart[i], lateStart[i])
                (finish, lateFinish) = (start + last, late + last)
                total = late - start
                free = min(freeFloat[i], max(total, 0))
            }
            if finish > latestFinish { latestFinish = finish }
            scheduled.append(ScheduledTask(
                id: tasks[i].id, isSummary: isGate[i], isMilestone: !isGate[i] && duration[i] == 0,
                earlyStart: line.day(at: start), earlyFinish: line.day(at: finish),
                lateStart: line.day(at: late), lateFinish: line.day(at: lateFinish),
                totalFloat: total, freeFloat: free))
        }

        var violations: [ConstraintViolation] = []
        for (i, index) in constrained {
            let task = tasks[i]
            guard let constraint = task.constraint else { continue }
            let result = scheduled[i]
            let start = isGate[i] && spanCount[i] > 0 ? spanStart[i] : earlyStart[i]
            let finish = isGate[i] && spanCount[i] > 0 ? spanFinish[i] : earlyStart[i] + max(duration[i], 1) - 1
            let problem: ConstraintViolation.Problem
            if constraint.kind == .mustStartOn {
                if index < 0 {
                    problem = .beforePlanStart(scheduledStart: result.earlyStart)
                } else if start > index {
                    problem = .startsLate(scheduledStart: result.earlyStart, workingDays: start - index)
                } else { continue }
            } else {
                guard finish > index - 1 else { continue }
                problem = .finishesLate(scheduledFinish: result.earlyFinish, workingDays: finish - (index - 1))
            }
            violations.append(ConstraintViolation(
                taskID: task.id, constraint: constraint, problem: problem,
                message: Self.message(task, constraint, problem, planStart: plan.start)))
        }

        return Schedule(projectCode: plan.projectCode, start: line.day(at: 0),
                        finish: n == 0 ? line.day(at: 0) : line.day(at: latestFinish),
                        tasks: scheduled, criticalPath: criticalPath(), violations: violations,
                        positions: positions)
    }

    /// Back from the task that finishes last (least float first), along each task's driver.
    private func criticalPath() -> [Int] {
        var end = -1, endFinish = Int.min, endFloat = Int.max
        for i in 0..<taskCount where !isGate[i] {
            let finish = earlyStart[i] + duration[i]
            let float = lateStart[i] - earlyStart[i]
            if finish > endFinish || (finish == endFinish && float < endFloat) {
                (end, endFinish, endFloat) = (i, finish, float)
            }
        }
        guard end >= 0 else { return [] }
        var path = [taskIDs[end]]
        var v = Int(driver[end])
        while v >= 0 {
            if v < taskCount && !isGate[v] { path.append(taskIDs[v]) }
            v = Int(driver[v])
        }
        return path.reversed()
    }

    private static func message(_ task: PlanTask, _ constraint: TaskConstraint, _ problem: ConstraintViolation.Problem,
                                planStart: Day) -> String {
        let name = "Task \(task.id) '\(task.name)'"
        func days(_ count: Int) -> String { count == 1 ? "1 working day" : "\(count) working days" }
        switch problem {
        case .startsLate(let start, let late):
            let cause = task.isSummary ? "its work cannot start until" : "its dependencies push it to"
            return "\(name) must start on \(constraint.date) but \(cause) \(start), \(days(late)) late."
        case .beforePlanStart(let start):
            return "\(name) must start on \(constraint.date), before the plan starts on \(planStart); "
                + "it is scheduled to start on \(start)."
        case .finishesLate(let finish, let late):
            return "\(name) must finish no later than \(constraint.date) but cannot finish until \(finish), \(days(late)) late."
        }
    }
}
