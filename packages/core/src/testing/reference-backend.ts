/**
 * The float64 reference as a ComputeBackend: core's own reference math (losses/reference.ts:
 * evaluateReference, linearScores, gatherRows) behind the backend contract, so the kit can run
 * whole training runs on it without depending on any backend package. Written to be read and
 * trusted, not to be fast: every call gathers its rows into a new float64 matrix.
 *
 * It is the oracle of the kit's whole-run cases, and it passes the kit itself
 * (testing/conformance.test.ts), like every other backend.
 */
import type { ComputeBackend, DesignMatrix, Evaluation, Objective, Resident, Rows, Vec } from '../backend.js';
import { rowAt, rowCount } from '../backend.js';
import { gatherRows, linearScores } from '../losses/linear.js';
import { evaluateReference } from '../losses/reference.js';
import { validateDesignMatrix, validateObjective, validateRows, validateWeights } from '../losses/validate.js';
import { PlacedSets } from '../placed-sets.js';

/** The reference backend's id (not a registry id: no app offers it). */
export const REFERENCE_BACKEND_ID = 'reference-f64';

interface Held {
  readonly x: Float32Array;
  readonly y: Int32Array;
}

class ReferenceBackend implements ComputeBackend {
  readonly id = REFERENCE_BACKEND_ID;
  readonly precision = 'float64';
  private readonly placed = new PlacedSets<Held>(REFERENCE_BACKEND_ID);

  async place(data: DesignMatrix): Promise<Resident> {
    this.placed.live();
    validateDesignMatrix(data);
    const held: Held = { x: Float32Array.from(data.x), y: Int32Array.from(data.y) };
    const resident: Resident = Object.freeze({ backendId: this.id, n: data.n, d: data.d, classes: data.classes,
      y: Int32Array.from(data.y) });
    this.placed.add(resident, held);
    return resident;
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation> {
    const g = this.gather(w, data, rows);
    validateObjective(objective);
    return evaluateReference(g.x, g.y, w, g.n, data.d, data.classes, objective, wantGradient);
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> {
    const g = this.gather(w, data, rows);
    return linearScores(g.x, w, g.n, data.d, data.classes);
  }

  async release(data: Resident): Promise<void> {
    this.placed.delete(data);
  }

  async dispose(): Promise<void> {
    this.placed.dispose();
  }

  /** The selected rows as a new float64 matrix, after checking W and the selection. */
  private gather(w: Float64Array, data: Resident, rows: Rows): { x: Float64Array; y: Int32Array; n: number } {
    const held = this.placed.get(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    const indices = Int32Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i));
    return gatherRows(held.x, held.y, data.d, indices);
  }
}

/** A new float64 reference backend (id 'reference-f64'). */
export function createReferenceBackend(): ComputeBackend {
  return new ReferenceBackend();
}
