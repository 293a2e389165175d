/**
 * The one random number generator of Lamina, identical to native/core/rng.cc: xoshiro128**
 * seeded by splitmix32 from (seed, stream). The same seed gives the same stream in both
 * backends; see native/core/rng.h for the definition of each draw.
 */
import { checkInteger } from './validate';

/** Stream numbers, so that one seed feeds independent sequences (same as the C++ enum). */
export const RngStream = {
  init: 1,
  shuffle: 2,
  dropout: 3,
  augment: 4,
  split: 5,
} as const;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded random number generator.
 *
 * @example
 * const rng = new Rng(42, RngStream.shuffle);
 * const order = rng.permutation(10);
 */
export class Rng {
  private readonly state = new Uint32Array(4);

  /**
   * @param seed an integer in [0, 2^32); larger or negative values are reduced modulo 2^32
   * @param stream which independent sequence of this seed to draw from (default 0)
   * @throws TypeError when seed or stream is not a number; RangeError when it is not an integer
   */
  constructor(seed: number, stream = 0) {
    checkInteger('seed', seed);
    checkInteger('stream', stream);
    let mix = ((seed >>> 0) ^ Math.imul(stream >>> 0, 0x85ebca6b)) >>> 0;
    for (let i = 0; i < 4; i++) {
      mix = (mix + 0x9e3779b9) >>> 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextU32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float32-exact number in [0, 1) from 24 random bits. */
  uniform(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }

  /** A double in [0, 1) from 53 random bits. */
  uniform53(): number {
    const high = this.nextU32() >>> 5;
    const low = this.nextU32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform53() * n);
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u1 = 1 - this.uniform53();
    const u2 = this.uniform53();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(6.283185307179586 * u2);
  }

  /** Shuffles items in place (Fisher-Yates from the end), the same order as the C++ core. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length; i > 1; i--) {
      const j = this.below(i);
      const swap = items[i - 1];
      items[i - 1] = items[j];
      items[j] = swap;
    }
    return items;
  }

  /** The numbers 0 .. n-1 in a random order. */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }
}
