import Glibc
import SystemKit

/// The kernel threads `BlockingWork` runs on, kept between jobs: a job goes to a worker waiting for one, or to a
/// new worker when none waits, so a job never queues behind another; a worker waits up to `idleSeconds` for its
/// next job and at most `maximumIdle` wait at once. Creating a thread for each job (an 8 MiB stack mapped, then
/// released) was a measured part of every container start (about ten jobs each). The jobs never change per-thread
/// state (`setns`, `unshare` and the like run through `NetworkNamespace.perform` on threads of their own), so a
/// worker can take any job.
final class WorkerPool: @unchecked Sendable {  // Every stored property is read and written under `lock` only.
    /// The pool `BlockingWork` uses.
    static let shared = WorkerPool()

    /// Workers kept waiting at most; one more that finishes a job ends.
    let maximumIdle: Int
    /// How long a worker waits for a job before it ends.
    let idleSeconds: Int
    private var lock = pthread_mutex_t()
    private var available = pthread_cond_t()
    private var jobs: [(number: Int, run: @Sendable () -> Void)] = []
    private var next = 0
    private var idle = 0
    private var submitted = 0

    /// A pool that keeps up to `maximumIdle` workers for `idleSeconds` each.
    init(maximumIdle: Int = 8, idleSeconds: Int = 30) {
        self.maximumIdle = maximumIdle
        self.idleSeconds = idleSeconds
        pthread_mutex_init(&lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&available, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// How many workers wait for a job now (for tests).
    var waiting: Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return idle
    }

    /// Runs `job` on a waiting worker or a new one; false when no thread could be made (then `job` never runs).
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(&lock)
        submitted += 1
        let number = submitted
        jobs.append((number, job))
        // More jobs queued than workers waiting: this one gets a thread of its own.
        guard jobs.count - next > idle else {
            pthread_cond_signal(&available)
            pthread_mutex_unlock(&lock)
            return true
        }
        pthread_mutex_unlock(&lock)
        if KernelThread.detach({ self.work() }) { return true }
        // No thread: take the job back, unless a worker that came free meanwhile has taken it.
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard let index = jobs[next...].firstIndex(where: { $0.number == number }) else { return true }
        jobs.remove(at: index)
        return false
    }

    /// A worker's loop: takes the oldest job, runs it, and waits for the next until it times out or enough others
    /// wait already.
    private func work() {
        pthread_mutex_lock(&lock)
        while true {
            while next == jobs.count {
                if idle >= maximumIdle || !waitForJob() {
                    pthread_mutex_unlock(&lock)
                    return
                }
            }
            let job = jobs[next].run
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            pthread_mutex_unlock(&lock)
            job()
            pthread_mutex_lock(&lock)
        }
    }

    /// Waits (holding `lock` on return) until signalled or `idleSeconds` pass; false on the timeout with no job.
    private func waitForJob() -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        deadline.tv_sec += idleSeconds
        idle += 1
        defer { idle -= 1 }
        while next == jobs.count {
            if pthread_cond_timedwait(&available, &lock, &deadline) == ETIMEDOUT { return next != jobs.count }
        }
        return true
    }
}
