import AMQP
import Dispatch
import Foundation
import Synchronization

/// Builds the windows of a run on a thread of its own, a couple of windows ahead of the publisher,
/// so that generating samples (a Shopify order takes about 120 µs) overlaps with waiting for confirms
/// instead of adding to it. One thread: on this 2-core machine a second one did not raise the rate
/// (it competes with the broker for the CPU). Windows come out in order; `stop()` ends the thread early.
final class WindowProducer: Sendable {
    private let ready = Mutex<[[OutgoingMessage]]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore
    private let stopped = Atomic<Bool>(false)

    /// `windows` are consecutive index ranges of `messages`.
    init(_ messages: InboundMessages, windows: [Range<Int>], ahead: Int = 2) {
        free = DispatchSemaphore(value: ahead)
        Thread { [self] in
            for window in windows {
                free.wait()
                if stopped.load(ordering: .relaxed) { return }
                // The publish time is stamped when the window is sent.
                let batch = window.map { messages.message(at: $0, timestamp: 0) }
                ready.withLock { $0.append(batch) }
                filled.signal()
            }
        }.start()
    }

    /// The next window, waiting for it to be built.
    func next() -> [OutgoingMessage] {
        filled.wait()
        let batch = ready.withLock { $0.removeFirst() }
        free.signal()
        return batch
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        free.signal()
    }
}
