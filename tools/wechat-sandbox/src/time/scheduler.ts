/**
 * Owns every timer the sandbox starts (notification retries, refund
 * completion, injected delays) so that stopping the sandbox cancels them all
 * instead of leaving a test process alive.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly onError: (error: unknown) => void) {}

  after(ms: number, task: () => void | Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      Promise.resolve()
        .then(task)
        .catch((error: unknown) => this.onError(error));
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  /** Resolves after `ms`, or as soon as the sandbox stops. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.sleepers.add(wake);
    });
  }

  /** Aborted when the sandbox stops: in-flight outgoing requests give up. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  stop(): void {
    this.stopped = true;
    this.stopping.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
  }
}
