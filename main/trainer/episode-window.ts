/** Statistics over the last K finished training episodes (CleanRL reports returns the same way). */
import type { EpisodeRecord } from '../../sim/index.ts';

export class EpisodeWindow {
  private readonly recent: EpisodeRecord[] = [];
  total = 0;

  constructor(private readonly size = 20) {}

  add(episodes: readonly EpisodeRecord[]): void {
    for (const e of episodes) {
      this.recent.push(e);
      if (this.recent.length > this.size) this.recent.shift();
    }
    this.total += episodes.length;
  }

  /** return_mean, return_std, length_mean and one mean per reward term; null before the first episode. */
  summary(): Record<string, number | null> {
    const n = this.recent.length;
    if (n === 0) return { return_mean: null, return_std: null, length_mean: null };
    const returns = this.recent.map((e) => e.return);
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / n);
    const row: Record<string, number | null> = {
      return_mean: mean,
      return_std: std,
      length_mean: this.recent.reduce((a, e) => a + e.length, 0) / n,
    };
    for (const term of Object.keys(this.recent[n - 1].rewardTerms)) {
      row[`reward_${term}`] = this.recent.reduce((a, e) => a + (e.rewardTerms[term] ?? 0), 0) / n;
    }
    return row;
  }

  toJSON(): { recent: EpisodeRecord[]; total: number } {
    return { recent: this.recent, total: this.total };
  }

  restore(saved: { recent: EpisodeRecord[]; total: number }): void {
    this.recent.splice(0, this.recent.length, ...saved.recent.slice(-this.size));
    this.total = saved.total;
  }
}
