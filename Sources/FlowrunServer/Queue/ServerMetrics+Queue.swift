import CoreMetrics

extension ServerMetrics {
    /// `flowrun.queue.depth`: jobs on the queue not finished (not yet read by a worker, or read
    /// and not yet acknowledged); `flowrun.queue.pending`: the read and unacknowledged ones
    /// (running, or at a worker that died).
    func queueMeasured(waiting: Int, pending: Int) {
        gauge("flowrun.queue.depth").record(waiting + pending)
        gauge("flowrun.queue.pending").record(pending)
    }
}
