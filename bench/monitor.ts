/**
 * Measurements shared by the benchmarks: the longest event-loop stall (the largest gap
 * between ticks of a 10 ms interval timer, minus the 10 ms) and the peak resident memory of
 * the process (sampled on the same timer, and read from the kernel's high-water mark where
 * Linux provides it).
 */
import * as fs from 'fs';

export interface Monitor {
  /** Stops sampling and returns the figures. */
  stop(): { maxStallMs: number; peakRssMb: number };
}

/** Peak resident set size of this process so far, in MB (VmHWM on Linux). */
export function peakRssMb(): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const match = status.match(/^VmHWM:\s+(\d+) kB/m);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall back to sampling
  }
  return process.memoryUsage().rss / 1e6;
}

/** Starts a 10 ms interval timer that records the largest gap between ticks. */
export function startMonitor(): Monitor {
  const interval = 10;
  let last = process.hrtime.bigint();
  let maxGap = 0;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const now = process.hrtime.bigint();
    const gap = Number(now - last) / 1e6;
    if (gap > maxGap) maxGap = gap;
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, interval);
  return {
    stop() {
      clearInterval(timer);
      return {
        maxStallMs: Math.max(0, maxGap - interval),
        peakRssMb: Math.max(peak / 1e6, peakRssMb()),
      };
    },
  };
}

/** Median of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
