import { ShapeError } from '../errors.js';
import type { Random } from '../random.js';

/** W₀ = scale·N(0, 1), D×C, or a copy of the given weights after checking their shape. */
export function initialWeights(d: number, classes: number, rng: Random, scale: number,
  given?: Float64Array): Float64Array {
  if (given) {
    if (given.length !== d * classes) {
      throw new ShapeError(`initial weights have ${given.length} values; this data needs D×C = ${d}×${classes} = ${d * classes}`);
    }
    return Float64Array.from(given);
  }
  return rng.fork('init').fillNormal(new Float64Array(d * classes), scale) as Float64Array;
}
