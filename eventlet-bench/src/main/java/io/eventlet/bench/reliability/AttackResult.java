package io.eventlet.bench.reliability;

/**
 * What one attack on one hub did.
 *
 * @param opened attacking connections that connected (of {@code requested})
 * @param peakHeld attacking connections open at once at the peak, as the clients saw them
 * @param cut attacking connections the server closed while the attack was on
 * @param cutMedianSeconds median time from a cut connection's open to its cut; NaN when none
 * @param legitRequests legitimate requests sent during the attack
 * @param legitFailures of those, the ones that failed or missed the target (head deadline + 1 s)
 * @param legitP50Millis median legitimate latency (failures count as their time spent); NaN when none
 * @param legitMaxMillis the slowest
 * @param heapBeforeMiB heap used after GC, before the attack; then at its peak and after it; -1 unknown
 * @param fdsBefore server descriptors before, at the peak (most seen), after; -1 unknown
 * @param recoveryMillis from the attack's end to the first legitimate request answered; -1 never (within 30 s)
 * @param note what else was seen (requests a pipeliner wrote, limits the server lacks)
 */
record AttackResult(String hub, Attack attack, int requested, int opened, int peakHeld, int cut, double cutMedianSeconds,
                    int legitRequests, int legitFailures, double legitP50Millis, double legitMaxMillis,
                    double heapBeforeMiB, double heapPeakMiB, double heapAfterMiB,
                    int fdsBefore, int fdsPeak, int fdsAfter, long recoveryMillis, String note) {
}
