// Runs a task's jobs on a NIO event loop. A request answered by the front end's fast path runs
// on the loop its connection reads on; its backend exchange goes out on a connection of the
// same loop, so the whole relay happens on one thread without waking another (a relayed call
// at c=1 answered ~35% faster). Unstructured tasks such a task starts do not inherit the
// preference, so background work (catalog rebuilds, stream readers) stays off the loop.

import NIOCore

public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
