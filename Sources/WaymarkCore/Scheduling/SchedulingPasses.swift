/// The two passes over a `CPMNetwork`.
extension CPMNetwork {
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
        if finish > Self.horizon {
            let last = (0..<count).first { earlyStart[$0] + duration[$0] > Self.horizon }!
            throw .outOfRange(taskID: ownerID(of: last))
        }
        self.order = order
        self.earlyStart = earlyStart
        self.driver = driver
        projectFinish = finish
    }

    /// Late starts and free float, in reverse topological order. A task's late start is the
    /// least its successors allow and never past the project finish; its free float is the least
    /// slack to a successor, where slack into a gate carries on through the gate's own.
    mutating func backwardPass() throws(SchedulingError) {
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
        if let first = (0..<count).first(where: { lateStart[$0] < -Self.horizon }) {
            throw .outOfRange(taskID: ownerID(of: first))
        }
        self.lateStart = lateStart
        self.freeFloat = freeFloat
    }

    /// The id of the task a node stands for (a gate stands for its summary).
    private func ownerID(of node: Int) -> Int {
        node < taskCount ? taskIDs[node] : taskIDs[finishGate.firstIndex(of: Int32(node))!]
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
        var collapsed = true
        while collapsed {
            collapsed = false
            for (i, node) in nodes.enumerated() where node < taskCount && isGate[node] {
                let rest = Array(nodes[(i + 1)...] + nodes[..<i])
                guard let finish = rest.firstIndex(of: Int(finishGate[node])) else { continue }
                nodes = [node] + rest[(finish + 1)...]
                collapsed = true
                break
            }
        }
        // Now each task or summary appears once.
        var ids = nodes.map(ownerID(of:))
        // Start at the smallest id so the same loop always reads the same way.
        if let first = ids.indices.min(by: { ids[$0] < ids[$1] }) {
            ids = Array(ids[first...] + ids[..<first])
        }
        return ids
    }
}
