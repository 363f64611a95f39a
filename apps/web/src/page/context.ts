/**
 * What the panels share: the worker client, the drawing code (loaded on demand), the page's
 * state and a small event bus. Each panel owns its part of the state and says what changed
 * through the bus; no panel calls another.
 */
import type { WorkerClient } from '../client.js';
import type { DataInfo, Evaluation, ProbeRowMessage, RunSummary, Snapshot } from '../protocol.js';

export type Views = typeof import('../views.js');
export type RunState = 'idle' | 'running' | 'paused' | 'stopping';

/** The page's state, read by tests through globalThis.__descent. Each field has one owner (in brackets). */
export interface PageState {
  /** Probe results by backend id [backends]. */
  probes: Map<string, ProbeRowMessage>;
  /** The data set in the worker [data]. */
  data: DataInfo | undefined;
  /** The run's (or last run's) losses and evaluations, as received [training]. */
  losses: number[];
  evaluations: Evaluation[];
  plannedIterations: number;
  runBackend: string;
  /** The model the views show [training, model]. */
  snapshot: Snapshot | undefined;
  run: RunState;
  lastSummary: RunSummary | undefined;
  /** Tool panels at work [tools]. */
  busy: number;
}

export interface PageEvents {
  /** The data set in use, or the rows in use of it, changed. */
  data: DataInfo;
  /** The model and its run are gone (reset, or another data set): views show their placeholders. */
  clear: undefined;
  /** The model shown changed; undefined: there is none now. */
  model: Snapshot | undefined;
  run: RunState;
  'run-start': { readonly iterations: number; readonly backend: string; readonly strategy: string };
  /** New losses and evaluations, as each worker message brings them (the loss panel draws at most once a frame); state.losses already holds them. */
  progress: { readonly losses: readonly number[]; readonly evaluations: readonly Evaluation[] };
  /** A run ended: its summary, with every loss. */
  'run-end': RunSummary;
}

type Listener<K extends keyof PageEvents> = (value: PageEvents[K]) => void;

export interface Page {
  readonly client: WorkerClient;
  readonly state: PageState;
  /** The drawing code (Vega and the canvases), loaded once. */
  views(): Promise<Views>;
  on<K extends keyof PageEvents>(event: K, listener: Listener<K>): void;
  emit<K extends keyof PageEvents>(event: K, value: PageEvents[K]): void;
  /**
   * Starts a run with the settings the page shows, as the Start button does (the training panel
   * provides it); resolves with its summary, or undefined when it was refused or failed (the
   * run bar says why).
   */
  startRun(): Promise<RunSummary | undefined>;
  /** Registers what startRun does. */
  provideStartRun(start: () => Promise<RunSummary | undefined>): void;
}

export function createPage(client: WorkerClient): Page {
  const ready = import('../views.js');
  const listeners = new Map<keyof PageEvents, Listener<never>[]>();
  const state: PageState = {
    probes: new Map(), data: undefined, losses: [], evaluations: [], plannedIterations: 0, runBackend: '',
    snapshot: undefined, run: 'idle', lastSummary: undefined, busy: 0,
  };
  let start: (() => Promise<RunSummary | undefined>) | undefined;
  return {
    client, state,
    startRun: () => (start ? start() : Promise.reject(new Error('no training panel on this page'))),
    provideStartRun(f) { start = f; },
    views: () => ready,
    on(event, listener) {
      const list = listeners.get(event) ?? [];
      list.push(listener as Listener<never>);
      listeners.set(event, list);
    },
    emit(event, value) {
      for (const l of listeners.get(event) ?? []) (l as Listener<typeof event>)(value);
    },
  };
}

/** Drops the page's model and the run's record (the worker has dropped its own) and tells the panels. */
export function clearModel(page: Page): void {
  page.state.snapshot = undefined;
  page.state.losses = [];
  page.state.evaluations = [];
  page.emit('clear', undefined);
}

/** A part of the page: the markup it adds (tool panels bring their own) and the code that runs it. */
export interface Panel {
  /** Where its markup goes (the playground's tools, or the lecture view); absent when it runs markup that index.html has. */
  readonly area?: 'tools' | 'lecture';
  readonly html?: string;
  mount(page: Page): void;
}
