/**
 * Messages between the page (main.ts) and the training worker (worker.ts).
 *
 * The page sends requests { id, method, args } and gets one reply { id, ok, value | error }
 * per request; the worker also pushes events ({ event: ... }) while it works: probe rows as
 * backends are probed, loss batches and snapshots while a run trains.
 */
import type {
  BackendChoice, ConfusionMatrix, FiniteDifference, GradientCheckRow, ImageShape, LossName, ProbeResult, TrainResult, TrainSettings,
} from '@descent/core';

/** What the user chose in the training form: core's settings, and where to run them. */
export interface RunRequest {
  /** 'auto', one backend id, or a comma-separated list tried in order. */
  readonly backend: string;
  /** The run itself (core's TrainSettings, defaults filled in by the form). */
  readonly settings: TrainSettings;
  /** Validation rows held out: a fraction in (0, 1) or a count. */
  readonly validation: number;
  /** Training rows used (after the validation split); undefined: all. */
  readonly limit?: number;
  /** Start from the current model's weights (and its preprocessing) instead of a fresh W. */
  readonly resume: boolean;
  /** Milliseconds to wait per iteration, to watch a run in slow motion (0: full speed). */
  readonly paceMs: number;
  /** Start paused, before the first step (the Step button on an idle page: one step at a time from the start). */
  readonly paused?: boolean;
}

export interface ProbeRowMessage {
  readonly id: string;
  readonly description: string;
  readonly result: ProbeResult;
}

export interface SampleImage {
  /** Row of the test split. */
  readonly index: number;
  readonly label: number;
  /** height·width·channels bytes in the data set's layout. */
  readonly pixels: Uint8Array;
}

/**
 * Upper bounds of the tools' sizes: core's LANDSCAPE_CAPS, which the CLI's options use too.
 * The page refuses a larger value naming the field; core refuses it in the worker as well.
 */
export { LANDSCAPE_CAPS as TOOL_CAPS, RACE_CAPS } from '@descent/core';

/** "1 iteration", "2 iterations": a count and its noun. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export interface DataInfo {
  readonly name: string;
  readonly source: string;
  readonly classNames: readonly string[];
  /** The images' shape; absent for features (no samples or templates to draw). */
  readonly image?: ImageShape;
  /** Training rows used: after the validation split and the limit. */
  readonly train: number;
  /** Training rows after the validation split, before the limit. */
  readonly available: number;
  /** The limit the prepared data has (undefined: all rows). */
  readonly limit?: number;
  /**
   * What "Training rows" starts at for this data set: a limit for a large one (the page fills
   * the field in, so the form, the summary and the run agree), undefined for all rows.
   */
  readonly defaultLimit?: number;
  readonly validation: number;
  readonly test: number;
  readonly features: number;
  /** Notes on how the files were read (e.g. "no test file: 20 % of the rows held out as test"). */
  readonly notes: readonly string[];
  readonly samples: readonly SampleImage[];
}

export interface PredictionRow {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly probability: number;
}

/** The current model, as the live views draw it. */
export interface Snapshot {
  readonly weights: Float64Array;
  readonly classNames: readonly string[];
  /** Absent for a model of features. */
  readonly image?: ImageShape;
  readonly confusion: Pick<ConfusionMatrix, 'counts' | 'accuracy' | 'total'>;
  readonly predictions: readonly PredictionRow[];
  /** Where the weights came from: 'training', 'opened model.json', … */
  readonly origin: string;
}

export interface Evaluation { readonly iteration: number; readonly trainAccuracy: number; readonly validationAccuracy?: number }

export interface RunSummary {
  readonly status: TrainResult['status'];
  readonly message?: string;
  readonly iterations: number;
  readonly epochs: number;
  readonly finalLoss: number;
  readonly seconds: number;
  readonly testAccuracy: number;
  readonly backend: string;
}

export interface SweepResult {
  readonly initialLoss: number;
  readonly gradientNorm: number;
  readonly rows: readonly { size: number; loss: number }[];
  readonly best: { size: number; loss: number };
  readonly at: string;
  readonly seconds: number;
}

export interface Landscape1DResult { readonly alphas: Float64Array; readonly losses: Float64Array; readonly at: string; readonly seconds: number }
export interface Landscape2DResult {
  readonly alphas: Float64Array; readonly betas: Float64Array; readonly losses: Float64Array; readonly at: string; readonly seconds: number;
}

/** The page's caps on a tuning and a batch study (the page is interactive: smaller than the CLI's). */
export const STUDY_CAPS = Object.freeze({ trials: 100, rounds: 5, epochs: 50, batchSize: 100000, batchTrials: 100, totalEpochs: 200 });

export interface TuneRequest extends DiagnosticOptions {
  readonly trials: number;
  readonly rounds: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lrRange: readonly [number, number];
  readonly regRange: readonly [number, number];
}

/** Core's tune (coarse to fine, scored on validation) as the page shows it. */
export interface TuneResultMessage {
  readonly trials: readonly { readonly round: number; readonly learningRate: number; readonly reg: number; readonly validationAccuracy: number;
    readonly finalLoss: number; readonly status: string }[];
  readonly best: { readonly learningRate: number; readonly reg: number; readonly validationAccuracy: number; readonly testAccuracy: number;
    readonly onBorder: { readonly learningRate: boolean; readonly reg: boolean } };
  readonly warnings: readonly string[];
  readonly settings: string;
  readonly seconds: number;
}

/** Core's batch-size study at the tool's weights. */
export interface BatchStudyMessage {
  readonly n: number;
  readonly fullGradientMilliseconds: number;
  readonly rows: readonly { readonly batchSize: number; readonly cosine: { readonly mean: number; readonly std: number };
    readonly relativeError: { readonly mean: number; readonly std: number }; readonly milliseconds: number; readonly costVsFull: number }[];
  readonly at: string;
  readonly seconds: number;
}

/** The optimizer race: the plane's grid, each rule's path from the same start. */
export interface RaceResult {
  readonly alphas: Float64Array; readonly betas: Float64Array; readonly losses: Float64Array;
  readonly paths: readonly { readonly optimizer: string; readonly a: Float64Array; readonly b: Float64Array; readonly losses: Float64Array; readonly diverged?: boolean }[];
  /** Whether V₁ points at the current model (a = 1 reaches it); else it is random. */
  readonly toward: boolean;
  readonly at: string;
  readonly seconds: number;
}

export interface GradcheckResult {
  readonly rows: readonly GradientCheckRow[];
  readonly maxRelativeError: number;
  readonly meanRelativeError: number;
  readonly kinked: number;
  readonly verdict: string;
  readonly explanation: string;
  readonly settings: string;
  readonly seconds: number;
  /** The parameters (D·C): what one numerical gradient probes. */
  readonly parameters: number;
  /** One loss evaluation, and one analytic gradient (loss and gradient), on the checked rows, in milliseconds. */
  readonly lossMilliseconds: number;
  readonly gradientMilliseconds: number;
}

export interface DiagnosticOptions {
  readonly backend: string;
  readonly loss: LossName;
  readonly reg: number;
  readonly delta: number;
  readonly seed: number;
  readonly initScale: number;
  /** Training rows the loss is averaged over (undefined: all). */
  readonly examples?: number;
  /** At a random W (initScale, seed) even when there is a model (the lecture's experiments start there). */
  readonly fresh?: boolean;
}

export interface Methods {
  /** Every browser backend's probe, and what 'auto' picks here (null: nothing runs). */
  probe: { args: []; value: { rows: ProbeRowMessage[]; auto: BackendChoice | null } };
  loadEmbedded: { args: [baseUrl: string]; value: DataInfo };
  loadFiles: { args: [files: { name: string; bytes: Uint8Array }[]]; value: DataInfo };
  train: { args: [request: RunRequest]; value: RunSummary };
  pause: { args: []; value: void };
  resume: { args: []; value: void };
  /** A paused run takes one step and rests again; resolves once it has (its snapshot sent). */
  step: { args: []; value: void };
  stop: { args: []; value: void };
  reset: { args: []; value: void };
  saveModel: { args: []; value: string };
  openModel: { args: [text: string, name: string]; value: { snapshot: Snapshot; summary: string } };
  sweep: { args: [options: DiagnosticOptions]; value: SweepResult };
  landscape1d: { args: [options: DiagnosticOptions & { points: number; range: number }]; value: Landscape1DResult };
  landscape2d: { args: [options: DiagnosticOptions & { points: number; range: number }]; value: Landscape2DResult };
  tune: { args: [options: TuneRequest]; value: TuneResultMessage };
  batches: { args: [options: DiagnosticOptions & { trials: number }]; value: BatchStudyMessage };
  race: { args: [options: DiagnosticOptions & { learningRate: number; momentum: number; steps: number; toward: boolean }]; value: RaceResult };
  gradcheck: {
    args: [options: DiagnosticOptions & { method: FiniteDifference; h: number; samples?: number; via: 'linearity' | 'backend' }];
    value: GradcheckResult;
  };
}

export type MethodName = keyof Methods;

export interface Request<M extends MethodName = MethodName> { readonly id: number; readonly method: M; readonly args: Methods[M]['args'] }
export type Reply = { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly kind?: string };

export type WorkerEvent =
  | { readonly event: 'probe'; readonly row: ProbeRowMessage }
  | { readonly event: 'run-start'; readonly iterations: number; readonly backend: string; readonly strategy: string }
  | { readonly event: 'losses'; readonly first: number; readonly losses: Float64Array; readonly evaluations: readonly Evaluation[];
      readonly epoch: number; readonly learningRate?: number }
  | { readonly event: 'snapshot'; readonly snapshot: Snapshot }
  /** The prepared data changed (a run or a tool split it again, e.g. for other "Training rows"): what the summary shows. */
  | { readonly event: 'data'; readonly info: DataInfo }
  | { readonly event: 'state'; readonly state: 'running' | 'paused' }
  /** A tuning's trial has ended: how many of how many, and the best validation accuracy so far. */
  | { readonly event: 'tune-trial'; readonly done: number; readonly total: number; readonly bestValidation: number };
