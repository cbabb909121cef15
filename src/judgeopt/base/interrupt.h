#pragma once
// A request to stop, from SIGINT or SIGTERM: the one piece of process-wide state the stop needs.
// The signal handler (apps/cli.cc) records the signal with RequestInterrupt, which is
// async-signal-safe (a lock-free atomic store); the model-call layers read it: the client stack
// sends no new call (llm::ClientStack), the HTTP transport aborts transfers in flight
// (io::CurlTransport), so a command stops within about a second with everything before the
// current step stored. Thread-safe.

namespace judgeopt {

/// Records that `signal_number` (e.g. SIGINT) asked the process to stop. The first one is kept.
void RequestInterrupt(int signal_number);

/// The signal that asked to stop, or 0 when none did.
int InterruptSignal();

/// Forgets a request (tests, and a process that goes on after handling one).
void ClearInterrupt();

/// "SIGINT", "SIGTERM", or "signal N".
const char* InterruptName(int signal_number);

}  // namespace judgeopt
