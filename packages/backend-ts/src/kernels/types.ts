/** Storage of X, Wᵀ and the gradient accumulator: Float32Array for 'ts', Float64Array for 'ts-f64'. */
export type Store = Float32Array | Float64Array;
