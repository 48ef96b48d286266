import Foundation
import SimCore

/// SIGINT (Ctrl-C) and SIGTERM stop capsim cleanly: no partial report, no temporary file, exit
/// 130 (SIGINT) or 143 (SIGTERM).
///
/// Both signals are blocked in the main thread before any other thread exists, so every thread
/// (replication workers included) inherits the block, and one thread waits for them with
/// `sigwait`. It runs ordinary code, not a signal handler, and hands over to
/// ``OutputGuard/interrupt(signal:)``, which lets a report write in progress roll back (or
/// finish its swap) before the process exits.
enum Signals {
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let watcher = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGTERM)
            var signal: Int32 = 0
            while sigwait(&set, &signal) != 0 {}
            OutputGuard.interrupt(signal: signal)
        }
        watcher.name = "capsim-signals"
        watcher.start()
    }
}
