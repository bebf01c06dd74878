/**
 * How busy other processes kept the machine while a test measured something in wall time. A page's
 * long tasks, a frame's time and a trainer's speed all include time spent waiting for a core, so on
 * a machine shared with other work they measure that work too; this says how much there was.
 * Linux only (/proc); elsewhere nothing is known.
 */
import fs from 'node:fs';
import os from 'node:os';
import { processTable, type ProcessEntry } from '../main/video/process-table.ts';

export interface CpuLoad {
  /** Cores' worth of CPU that processes outside the watched tree kept busy, on average. */
  outsideCores: number;
  /** Cores' worth of CPU that the watched tree used, less the processes the caller set aside. */
  treeCores: number;
  /** Cores' worth of CPU that the processes set aside used. */
  asideCores: number;
  cores: number;
}

/** How often the watched tree is sampled: a process that ends between samples loses at most this much of its time. */
const SAMPLE_MS = 250;

/** The machine's CPU time in clock ticks, and its idle part. */
interface MachineTicks {
  total: number;
  idle: number;
}

/**
 * Starts watching the machine and the process tree under `root`; `stop()` reports (null off Linux).
 * Each process's own CPU time is followed from the first sample that finds it in the tree to the
 * last that finds it alive, so one that ends within the window (a recording's browser, say) still
 * counts as the tree's, even if it was orphaned to init before it ended. Processes for which
 * `setAside` is true (asked once, when first seen) are the tree's but not in its `treeCores`: they are `asideCores`.
 */
export function watchCpu(root: number, setAside: (pid: number) => boolean = () => false): { stop(): CpuLoad | null } {
  const start = machineTicks();
  if (!start) return { stop: () => null };
  /** Per process ever seen in the tree: its ticks when first and last seen. */
  const seen = new Map<number, { first: number; last: number; asideFromTree: boolean }>();
  const sampleTree = (initial: boolean): void => {
    const processes = processTable() ?? new Map<number, ProcessEntry>();
    const inTree = (pid: number): boolean => {
      for (let at = pid; at > 1; at = processes.get(at)?.parent ?? 0) if (at === root || seen.has(at)) return true;
      return false;
    };
    for (const [pid, { ticks }] of processes) {
      const known = seen.get(pid);
      if (known) known.last = ticks;
      else if (inTree(pid)) {
        // Born within the window: all its time is the window's.
        seen.set(pid, { first: initial ? ticks : 0, last: ticks, asideFromTree: setAside(pid) });
      }
    }
  };
  sampleTree(true);
  const timer = setInterval(() => sampleTree(false), SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sampleTree(false);
      const end = machineTicks()!;
      const cores = os.cpus().length;
      // Every core ticks once per tick of the clock, busy or idle: the elapsed time in ticks.
      const elapsed = (end.total - start.total) / cores;
      const busy = end.total - start.total - (end.idle - start.idle);
      let tree = 0;
      let aside = 0;
      for (const { first, last, asideFromTree } of seen.values()) {
        tree += last - first;
        if (asideFromTree) aside += last - first;
      }
      const outside = Math.max(0, busy - tree);
      const share = (ticks: number): number => (elapsed > 0 ? ticks / elapsed : 0);
      return { outsideCores: share(outside), treeCores: share(tree - aside), asideCores: share(aside), cores };
    },
  };
}

function machineTicks(): MachineTicks | null {
  if (!fs.existsSync('/proc/stat')) return null;
  // cpu user nice system idle iowait irq softirq steal (guest time is inside user); steal is other VMs' use.
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: cpu.reduce((sum, ticks) => sum + ticks, 0), idle: cpu[3] + cpu[4] };
}
