/**
 * Passes on at most one value per interval, always the newest: training can finish episodes far
 * faster than anyone can watch them, and the viewer only ever wants the latest.
 */
export class LatestThrottle<T> {
  private lastSentMs = -Infinity;
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(value: T): void {
    this.pending = { value };
    const waitMs = this.lastSentMs + this.intervalMs - performance.now();
    if (waitMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), waitMs);
  }

  /** Sends the pending value now, if there is one. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.lastSentMs = performance.now();
    this.send(value);
  }
}
