/**
 * The progress bar within an epoch (cli-progress): batches done, samples per second, the time
 * left in the epoch and the running training loss. It draws only on a terminal and clears its
 * line before anything else is printed (the epoch row), so the two never mix.
 */
import { SingleBar } from 'cli-progress';
import type { ProgressTick } from '../backend/backend';
import type { ProgressStream } from './common';

/** The one line the bar draws. */
export const PROGRESS_FORMAT = 'epoch {epoch}/{epochs} [{bar}] {value}/{total} | ' +
  '{rate} samples/s | ETA {eta_formatted} | loss {loss}';

/** A progress bar per epoch, fed by on_batch_finished ticks. */
export class EpochProgress {
  private bar: SingleBar | undefined;
  private epoch = 0;

  /**
   * @param stream the terminal to draw on; undefined or not a TTY: nothing is drawn
   * @param epochs the last epoch of the run, shown as 'epoch 3/15'
   */
  constructor(private readonly stream: ProgressStream | undefined,
    private readonly epochs: number) {}

  /** Whether the bar draws at all. */
  get enabled(): boolean {
    return Boolean(this.stream?.isTTY);
  }

  /** Shows a tick: starts the epoch's bar on its first tick, then moves it. */
  tick(tick: ProgressTick): void {
    if (!this.enabled) return;
    const payload = {
      epoch: tick.epoch,
      epochs: this.epochs,
      rate: Math.round(tick.samplesPerSecond),
      loss: Number.isFinite(tick.trainLoss) ? tick.trainLoss.toFixed(4) : '-',
    };
    if (!this.bar || this.epoch !== tick.epoch) {
      this.clear();
      this.epoch = tick.epoch;
      this.bar = new SingleBar({
        stream: this.stream as NodeJS.WritableStream,
        format: PROGRESS_FORMAT,
        barsize: 20,
        clearOnComplete: true,
        hideCursor: false,
        linewrap: true,
        fps: 10,
        etaBuffer: 30,
      });
      this.bar.start(tick.batches, tick.batch, payload);
      return;
    }
    this.bar.update(tick.batch, payload);
  }

  /** Removes the bar (before the epoch row is printed, and at the end). */
  clear(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
  }
}
