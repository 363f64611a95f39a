/**
 * Upper bounds of every size option, in one place (README lists them). Each keeps a run within
 * seconds to minutes and its memory bounded; a value above its cap is refused where the option
 * is parsed, with exit status 2.
 */
import { LANDSCAPE_CAPS } from '@descent/core';

export const CAPS = {
  /** train/search --iterations: 10⁶ updates or proposals (the loss history is 8 MB). */
  iterations: 1_000_000,
  /** train/search/tune --epochs. */
  epochs: 1000,
  /** --batch-size: rows per step (larger than any shipped training split). */
  batchSize: 100_000,
  /** --eval-every: iterations between accuracy measurements. */
  evalEvery: 1_000_000,
  /** gradcheck/sweep/landscape --examples: training rows a loss is averaged over. */
  examples: 1_000_000,
  /** gradcheck --samples: coordinates of W checked. */
  samples: 100_000,
  /** gradcheck --h: the finite-difference step. */
  h: 1,
  /** gradcheck --show: table rows printed. */
  show: 100_000,
  /** landscape --points with --dims 1 (core's LANDSCAPE_CAPS, which the web page uses too). */
  points1D: LANDSCAPE_CAPS.points1D,
  /** landscape --points with --dims 2 (per axis: 501² losses, about 2 MB). */
  points2D: LANDSCAPE_CAPS.points2D,
  /** landscape --range: |from| and |to|. */
  range: LANDSCAPE_CAPS.range,
  /** --init-scale, --search-scale, --search-step: the scale of a random W or step. */
  weightScale: 10,
  /** sweep --sizes: list length. */
  sweepSizes: 1000,
  /** batches --sizes: list length. */
  batchSizes: 64,
  /** batches --trials: random batches per size. */
  batchTrials: 10_000,
  /** tune --trials: trials per round. */
  tuneTrials: 1000,
  /** tune --rounds. */
  tuneRounds: 20,
  /** tune --keep. */
  tuneKeep: 1000,
  /** predict --count: images classified. */
  count: 100_000,
} as const;
