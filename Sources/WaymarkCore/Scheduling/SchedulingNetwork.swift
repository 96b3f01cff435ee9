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
    var taskIDs: [Int]
    private(set) var nodeCount: Int
    /// Working days; 0 for gates.
    var duration: [Int]
    /// Summary start gates (the summary's own node) and finish gates.
    var isGate: [Bool]
    /// Per task, the nearest summary ancestor (−1 for none); empty when the plan has no summaries.
    var parent: [Int32] = []
    /// Summary positions, parents before children.
    var summaries: [Int] = []
    /// Per task, a summary's finish gate node (the k-th summary in plan order has node n + k).
    var finishGate: [Int32] = []
    /// Lower bound on the early start: plan start, SNET, other projects' tasks.
    var release: [Int]
    /// MSO index, or Int.min.
    var mustStart: [Int]
    /// Upper bound on the late start from MSO and FNLT, or Int.max.
    var lateCap: [Int]
    /// Constrained tasks in plan order, with the constraint's index (the MSO start, or for FNLT
    /// the finish point that ends on the constraint date).
    var constrained: [(task: Int, index: Int)] = []

    var offsets: [Int32] = []
    var targets: [Int32] = []
    var weights: [Int] = []

    var order: [Int32] = []
    var earlyStart: [Int] = []
    var driver: [Int32] = []
    var lateStart: [Int] = []
    var freeFloat: [Int] = []
    var projectFinish = 0

    /// Working days either side of the plan start that a schedule may reach, so index
    /// arithmetic cannot overflow and the date table stays small (about 3,900 years).
    static let horizon = 1_000_000

    init(plan: ProjectPlan, external: [TaskReference: ExternalTaskDates],
         line: inout WorkingDayLine) throws(SchedulingError) {
        let tasks = plan.tasks
        let n = tasks.count
        taskCount = n
        for i in 0..<n {
            let duration = tasks[i].duration
            if duration < 0 { throw .negativeDuration(taskID: tasks[i].id, duration: duration) }
            if duration > Self.horizon { throw .outOfRange(taskID: tasks[i].id) }
        }
        // A date too far from the plan start to reach in working days.
        func check(_ date: Day, _ taskID: Int) throws(SchedulingError) {
            let (gap, overflow) = date.ordinal.subtractingReportingOverflow(plan.start.ordinal)
            if overflow || gap.magnitude > UInt(Self.horizon * 7 / 5) { throw .outOfRange(taskID: taskID) }
        }
        positions = try TaskIndex(tasks)

        duration = [Int](repeating: 0, count: n)
        isGate = [Bool](repeating: false, count: n)
        taskIDs = [Int](repeating: 0, count: n)
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
            if dependency.lag.magnitude > UInt(Self.horizon) { throw .outOfRange(taskID: dependency.successorID) }
            let successorShift = toFinish ? duration[s] : 0
            let reference = dependency.predecessor
            if let code = reference.projectCode, code != plan.projectCode {
                guard let dates = external[reference] else {
                    throw .missingExternalDates(reference, successorID: dependency.successorID)
                }
                try check(dates.start, dependency.successorID)
                try check(dates.finish, dependency.successorID)
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
            try check(constraint.date, tasks[i].id)
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
}
