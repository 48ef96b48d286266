import Foundation
import Synchronization

/// Serialises every report write of the process with the handling of SIGINT and SIGTERM, so a
/// signal never lands in the middle of a write.
///
/// The CLI blocks the two signals in every thread and waits for them on one thread
/// (`sigwait`), which then calls ``interrupt(signal:)``: it raises a flag, takes the write lock
/// (waiting while a write is in progress), and ends the process with 128 + signal (130 for
/// SIGINT, 143 for SIGTERM). A writer checks the flag before each file-system operation
/// (``checkpoint()``); on seeing it, it removes its temporary folder or file and ends the process
/// the same way. So after a signal the target holds its complete old contents (or, when the swap
/// had already happened, the complete new ones) and no temporary is left.
///
/// A SIGKILL cannot be handled: the next write into the same folder removes the temporaries
/// it left (``ReportSetWriter/removeStaleTemporaries(in:fileSystem:)``).
public enum OutputGuard {
    static let lock = NSLock()
    static let pendingSignal = Atomic<Int32>(0)

    /// Runs `body` holding the write lock. When `body` throws ``Interrupted`` (after removing
    /// its temporaries), the process ends here with 128 + signal.
    public static func exclusive<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            try checkpoint()
            let result = try body()
            // A signal during the final steps (removing the old set after the swap): the new set
            // is complete; stop now rather than carry on as if nothing had arrived.
            if isInterrupted { terminate() }
            return result
        } catch is Interrupted {
            terminate()
        }
    }

    /// Throws ``Interrupted`` once a signal has arrived.
    public static func checkpoint() throws {
        if pendingSignal.load(ordering: .acquiring) != 0 { throw Interrupted() }
    }

    /// True once a signal has arrived.
    public static var isInterrupted: Bool { pendingSignal.load(ordering: .acquiring) != 0 }

    /// Called (off the signal handler, on an ordinary thread) when `signal` arrived: waits for a
    /// write in progress to finish or roll back, then ends the process.
    public static func interrupt(signal: Int32) -> Never {
        pendingSignal.store(signal, ordering: .releasing)
        lock.lock()
        terminate()
    }

    /// Ends the process after an interruption: a message, then exit 128 + signal.
    public static func terminate() -> Never {
        let signal = pendingSignal.load(ordering: .acquiring)
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let text = "capsim: interrupted (\(name)); no partial report and no temporary file left\n"
        _ = text.withCString { Foundation.write(2, $0, strlen($0)) }
        fflush(nil)   // all output streams (the summary lines on stdout)
        _exit(128 + signal)
    }

    /// A signal arrived while a write was in progress.
    public struct Interrupted: Error, CustomStringConvertible {
        public var description: String { "interrupted" }
    }
}
