import type { Resident } from './backend.js';
import { BackendError } from './errors.js';

/**
 * What a backend keeps for each data set it placed, keyed by the Resident it handed out, and
 * whether the backend is still alive. Shared so that every backend refuses a released,
 * foreign or post-dispose data set with the same words.
 */
export class PlacedSets<T> {
  private readonly sets = new Map<Resident, T>();
  private disposed = false;

  constructor(private readonly backendId: string) {}

  /** Throws once the backend has been disposed. */
  live(): void {
    if (this.disposed) throw new BackendError(`backend '${this.backendId}' has been disposed`);
  }

  add(resident: Resident, value: T): void {
    this.live();
    this.sets.set(resident, value);
  }

  /** The backend's state for a data set, or an error saying why it is not here. */
  get(data: Resident): T {
    this.live();
    const p = this.sets.get(data);
    if (p === undefined) {
      throw new BackendError(data.backendId === this.backendId
        ? `data set (${data.n}×${data.d}) is not placed on backend '${this.backendId}' (released, or placed on another instance)`
        : `data set was placed on backend '${data.backendId}', not on '${this.backendId}'`);
    }
    return p;
  }

  /** Forget a data set; returns its state (undefined if it was not placed here). */
  delete(data: Resident): T | undefined {
    const p = this.sets.get(data);
    this.sets.delete(data);
    return p;
  }

  residents(): Resident[] {
    return [...this.sets.keys()];
  }

  /** Forget everything and refuse further use; returns what was held, for freeing. */
  dispose(): T[] {
    const held = [...this.sets.values()];
    this.sets.clear();
    this.disposed = true;
    return held;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
