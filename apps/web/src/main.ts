/**
 * The page: controls, the backend menu and the live views. Everything heavy (data, backends,
 * training, diagnostics) runs in the worker (worker.ts); drawing code (Vega) loads on demand.
 */
import {
  hasMargin, isSearchStrategy, LOSS_LABELS, LOSS_NAMES, OPTIMIZER_NAMES, OPTIMIZERS, SAMPLER_LABELS, SAMPLER_NAMES, SCHEDULE_LABELS,
  SCHEDULE_NAMES, STRATEGIES, STRATEGY_NAMES, trainSettings,
} from '@descent/core';
import type { BackendChoice, LossName, OptimizerName, SamplerName, ScheduleName, StrategyName } from '@descent/core';
import { BROWSER_BACKENDS, menuEntries } from './backends.js';
import { WorkerClient } from './client.js';
import { applyBackendQuery, applySettingsQuery, settingsQuery } from './share.js';
import {
  count, RACE_CAPS, STUDY_CAPS, TOOL_CAPS,
  type DataInfo, type DiagnosticOptions, type Evaluation, type ProbeRowMessage, type RunRequest, type RunSummary, type Snapshot,
  type WorkerEvent,
} from './protocol.js';

type Views = typeof import('./views.js');

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

/** Menu labels: core's, for every name core knows. */
const LABELS: Record<string, string> = {
  ...LOSS_LABELS, ...SCHEDULE_LABELS, ...SAMPLER_LABELS,
  ...Object.fromEntries(Object.entries(STRATEGIES).map(([k, v]) => [k, v.label])),
  ...Object.fromEntries(Object.entries(OPTIMIZERS).map(([k, v]) => [k, v.label])),
};

function fillSelect(id: string, values: readonly string[], selected: string, empty?: string): void {
  const s = $<HTMLSelectElement>(id);
  const opts = values.map((v) => new Option(LABELS[v] ?? v, v, false, v === selected));
  if (empty !== undefined) opts.unshift(new Option(empty, '', false, selected === ''));
  s.replaceChildren(...opts);
}

fillSelect('loss', LOSS_NAMES, 'softmax');
fillSelect('strategy', STRATEGY_NAMES, 'minibatch');
fillSelect('optimizer', OPTIMIZER_NAMES, 'momentum');
fillSelect('schedule', SCHEDULE_NAMES, 'constant');
fillSelect('sampler', SAMPLER_NAMES, '', 'default');

// ---- state ----

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const client = new WorkerClient(worker);
let views: Views | undefined;
const viewsReady: Promise<Views> = import('./views.js').then((v) => (views = v));

const state = {
  probes: new Map<string, ProbeRowMessage>(),
  data: undefined as DataInfo | undefined,
  losses: [] as number[],
  evaluations: [] as Evaluation[],
  plannedIterations: 0,
  runBackend: '',
  snapshot: undefined as Snapshot | undefined,
  run: 'idle' as 'idle' | 'running' | 'paused' | 'stopping',
  lastSummary: undefined as RunSummary | undefined,
  busy: 0,
};

function setMessage(id: string, text: string, kind: 'error' | 'ok' | '' = 'error'): void {
  const el = $(id);
  el.textContent = text;
  el.className = `message${text && kind ? ` ${kind}` : ''}`;
}

const errorText = (e: unknown) => (e as Error)?.message ?? String(e);

// ---- backend menu ----

function selectedBackend(): string {
  return (document.querySelector<HTMLInputElement>('input[name=backend]:checked'))?.value ?? 'auto';
}

/** 'auto' first (selected, usable at once: it waits for the probes), then every browser backend. */
function buildBackendMenu(): void {
  const box = $('backends');
  for (const { id, description } of menuEntries()) {
    const row = document.createElement('div');
    row.className = 'backend probing';
    row.id = `backend-row-${id}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'backend';
    input.value = id;
    input.id = `backend-${id}`;
    input.disabled = id !== 'auto' && id !== 'ts';
    input.checked = id === 'auto';
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = id;
    const desc = document.createElement('span');
    desc.className = 'desc';
    desc.id = `backend-desc-${id}`;
    desc.textContent = description;
    const why = document.createElement('span');
    why.className = 'why';
    why.id = `backend-why-${id}`;
    why.textContent = id === 'auto' || id === 'ts' ? 'probing… (selectable now)' : 'probing…';
    input.setAttribute('aria-describedby', `${desc.id} ${why.id}`);
    row.append(input, label, desc, why);
    box.append(row);
  }
}

/** What 'auto' resolved to here, once every backend has been probed. */
function showAuto(choice: BackendChoice | null): void {
  $('backend-why-auto').textContent = choice
    ? `picks ${choice.chosen} here${choice.skipped.length > 0 ? ` (passed over ${choice.skipped.map((s) => s.id).join(', ')}: see below)` : ''}`
    : 'no backend runs in this browser';
  $('backend-row-auto').className = `backend ${choice ? 'available' : 'unavailable'}`;
}

function showProbe(r: ProbeRowMessage): void {
  state.probes.set(r.id, r);
  const row = document.getElementById(`backend-row-${r.id}`);
  if (!row) return;
  const input = row.querySelector('input')!;
  const why = row.querySelector('.why')!;
  const ok = r.result.available;
  row.className = `backend ${ok ? 'available' : 'unavailable'}`;
  input.disabled = !ok;
  row.querySelector('.desc')!.textContent = r.description;
  why.textContent = r.result.available
    ? `runs here${r.result.softwareFallback ? ` on a software adapter, slowly: ${r.result.softwareFallback}` : r.result.detail ? `: ${r.result.detail}` : ''}`
    : `unavailable: ${r.result.reason}`;
  if (!ok && input.checked) {
    input.checked = false;
    $<HTMLInputElement>('backend-auto').checked = true;
  }
  const done = state.probes.size;
  $('probe-status').textContent = done < BROWSER_BACKENDS.length
    ? `Probing backends… ${done} of ${BROWSER_BACKENDS.length} done.`
    : `${[...state.probes.values()].filter((p) => p.result.available).length} of ${BROWSER_BACKENDS.length} backends run in this browser.`;
}

// ---- data ----

function showData(d: DataInfo): void {
  state.data = d;
  const { image: im } = d;
  $('data-summary').textContent = `${d.name}: ${d.train}${d.train < d.available ? ` (of ${d.available})` : ''} training, `
    + `${d.validation} validation and ${d.test} test ${im ? 'images' : 'rows'}, `
    + `${im ? `${im.height}×${im.width}${im.channels > 1 ? `×${im.channels}` : ''}` : `${d.features} features`}, ${d.classNames.length} classes.`;
  $('data-notes').replaceChildren(...d.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  drawSamples();
}

function drawSamples(): void {
  const d = state.data;
  const list = $<HTMLOListElement>('samples');
  if (!d || !views) return;
  const preds = new Map((state.snapshot?.predictions ?? []).map((p) => [p.index, p]));
  const names = state.snapshot?.classNames ?? d.classNames;
  list.replaceChildren(...d.samples.map((s) => {
    const li = document.createElement('li');
    li.dataset['index'] = String(s.index);
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `test image ${s.index}: ${d.classNames[s.label]}`);
    views!.paintImage(canvas, s.pixels, d.image!); // samples are images only
    const truth = document.createElement('span');
    truth.className = 'truth';
    truth.textContent = d.classNames[s.label] ?? String(s.label);
    li.append(canvas, truth);
    const p = preds.get(s.index);
    if (p) {
      const pred = document.createElement('span');
      pred.className = `pred ${p.predicted === p.label ? 'right' : 'wrong'}`;
      pred.textContent = `${p.predicted === p.label ? '✓' : '✗'} ${names[p.predicted] ?? p.predicted}`;
      pred.dataset['predicted'] = String(p.predicted);
      pred.dataset['probability'] = p.probability.toPrecision(6);
      const prob = document.createElement('span');
      prob.className = 'prob';
      prob.textContent = `${(100 * p.probability).toFixed(0)} %`;
      li.append(pred, prob);
    }
    return li;
  }));
  $('samples-hint').textContent = state.snapshot
    ? `Predictions of the current model (${state.snapshot.origin}) on sample test images; ✓ right, ✗ wrong, with the softmax probability of the predicted class.`
    : 'Sample images from the test split; once there is a model, each shows what it predicts.';
}

async function loadData(load: () => Promise<DataInfo>, what: string): Promise<void> {
  setMessage('data-message', '');
  $('data-summary').textContent = `Loading ${what}…`;
  const previous = state.data;
  try {
    const d = await load();
    await viewsReady;
    clearModelViews();
    // "Training rows" starts at the data set's default (a limit for a large one), so that the
    // form, the summary and the next run agree.
    $<HTMLInputElement>('limit').value = d.defaultLimit !== undefined ? String(d.defaultLimit) : '';
    showData(d);
    setMessage('data-message', `Loaded ${what}.`, 'ok');
  } catch (e) {
    if (previous) showData(previous);
    else $('data-summary').textContent = 'No data set loaded.';
    setMessage('data-message', `Could not load ${what}: ${errorText(e)}${previous ? ` — still using ${previous.name}.` : ''}`);
  }
}

// ---- training ----

/** A field's name as the page shows it (its label), for messages. */
function fieldName(input: HTMLInputElement): string {
  return input.labels?.[0]?.textContent?.trim() || input.getAttribute('aria-label') || input.id;
}

/**
 * A number field's value, or undefined when it is empty. A number input whose text is not a
 * number ("1e", "-", "1.2.3") reads as empty to scripts; validity.badInput tells the two apart,
 * and the message names the field instead of reading it as 0 or as "use the default".
 */
function optionalNum(id: string, want: string): number | undefined {
  const input = $<HTMLInputElement>(id);
  if (input.validity.badInput) throw new Error(`${fieldName(input)} must be ${want}; what is typed there is not a number`);
  const v = input.value.trim();
  if (v === '') return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new Error(`${fieldName(input)} must be ${want}; got “${v}”`);
  return x;
}

/** A number field that must be filled in, checked: a message naming the field when it is empty, not a number, or not `want`. */
function num(id: string, want = 'a number', ok: (v: number) => boolean = () => true): number {
  const v = optionalNum(id, want);
  if (v === undefined) throw new Error(`${fieldName($<HTMLInputElement>(id))} is empty: it must be ${want}`);
  if (!ok(v)) throw new Error(`${fieldName($<HTMLInputElement>(id))} must be ${want}; got “${v}”`);
  return v;
}

/** An optional field, checked when filled in. */
function optional(id: string, want: string, ok: (v: number) => boolean): number | undefined {
  const v = optionalNum(id, want);
  if (v !== undefined && !ok(v)) throw new Error(`${fieldName($<HTMLInputElement>(id))} must be ${want}; got “${v}”`);
  return v;
}

/**
 * A setting whose field is hidden because it does not apply (SVM margin with softmax, momentum
 * with plain SGD, …): read when it holds a number, else left to core's default.
 */
function setting(id: string, want = 'a number', ok: (v: number) => boolean = () => true): number | undefined {
  if ($(id).hidden) {
    try { return optional(id, want, ok); } catch { return undefined; }
  }
  return num(id, want, ok);
}

const isWhole = (v: number) => Number.isInteger(v) && v >= 1;

function readSettings(): RunRequest {
  const sampler = $<HTMLSelectElement>('sampler').value;
  const byIterations = $<HTMLSelectElement>('length-unit').value === 'iterations';
  // Read in the order the form shows them, so the first message is about the first bad field.
  const reg = num('reg', 'a number ≥ 0', (v) => v >= 0);
  const delta = setting('delta');
  const learningRate = setting('lr', 'a number > 0', (v) => v > 0);
  const momentum = setting('momentum');
  const stepEvery = setting('step-every');
  const stepFactor = setting('step-factor');
  const decay = setting('decay');
  const batchSize = optional('batch-size', 'a whole number ≥ 1', isWhole);
  const length = byIterations ? num('length', 'a whole number of iterations ≥ 1', isWhole) : num('length', 'a number > 0', (v) => v > 0);
  const seed = num('seed', 'an integer', Number.isInteger);
  const initScale = num('init-scale', 'a number ≥ 0', (v) => v >= 0);
  const searchScale = setting('search-scale');
  const searchStep = setting('search-step');
  const validation = num('validation', 'a fraction below 1 or a whole number of rows', (v) => v >= 0 && (v < 1 || Number.isInteger(v)));
  const limit = optional('limit', 'a whole number ≥ 1', isWhole);
  return {
    backend: selectedBackend(),
    // core checks the names and fills in what the form leaves out.
    settings: trainSettings({
      loss: $<HTMLSelectElement>('loss').value as LossName,
      reg, delta,
      strategy: $<HTMLSelectElement>('strategy').value as StrategyName,
      optimizer: $<HTMLSelectElement>('optimizer').value as OptimizerName,
      learningRate, momentum,
      schedule: $<HTMLSelectElement>('schedule').value as ScheduleName,
      stepEvery, stepFactor, decay,
      batchSize, ...(sampler ? { sampler: sampler as SamplerName } : {}),
      ...(byIterations ? { iterations: length } : { epochs: length }),
      seed, initScale, searchScale, searchStep,
    }),
    ...(limit !== undefined ? { limit } : {}),
    validation,
    resume: $<HTMLInputElement>('resume').checked,
    paceMs: Number($<HTMLSelectElement>('pace').value),
  };
}

function setRunState(s: typeof state.run): void {
  state.run = s;
  const running = s === 'running' || s === 'paused';
  $<HTMLButtonElement>('start').disabled = s !== 'idle';
  const pause = $<HTMLButtonElement>('pause');
  pause.disabled = !running;
  pause.textContent = s === 'paused' ? 'Resume' : 'Pause';
  pause.setAttribute('aria-pressed', String(s === 'paused'));
  $<HTMLButtonElement>('stop').disabled = !running;
  for (const id of ['data-embedded', 'data-files', 'model-file']) $<HTMLButtonElement>(id).disabled = s !== 'idle';
  $<HTMLButtonElement>('model-save').disabled = s !== 'idle' || !state.snapshot;
  document.body.dataset['run'] = s;
}

let lossTimer: number | undefined;
let lastLossDraw = 0;
/** Redraw the loss chart soon (at most about three times a second while a run streams). */
function scheduleLossChart(now = false): void {
  if (lossTimer !== undefined) { if (!now) return; clearTimeout(lossTimer); }
  const wait = now ? 0 : Math.max(0, 300 - (performance.now() - lastLossDraw));
  lossTimer = window.setTimeout(() => {
    lossTimer = undefined;
    lastLossDraw = performance.now();
    if (!views || state.losses.length === 0) return;
    void views.drawChart($('loss-chart'), views.lossChart(state.losses, state.evaluations,
      `Training loss — ${state.runBackend}`));
  }, wait);
}

function runStatus(): string {
  const n = state.losses.length;
  const last = state.losses[n - 1];
  const ev = state.evaluations.at(-1);
  return `${state.run === 'paused' ? 'Paused' : 'Training'} on ${state.runBackend}: iteration ${n} of ${state.plannedIterations}`
    + (last !== undefined ? `, loss ${last.toPrecision(4)}` : '')
    + (ev?.validationAccuracy !== undefined ? `, validation accuracy ${(100 * ev.validationAccuracy).toFixed(1)} %` : '');
}

let statusTimer: number | undefined;
function scheduleStatus(): void {
  if (statusTimer !== undefined) return;
  statusTimer = window.setTimeout(() => {
    statusTimer = undefined;
    if (state.run === 'running' || state.run === 'paused') $('run-status').textContent = runStatus();
  }, 250);
}

function showSnapshot(s: Snapshot): void {
  state.snapshot = s;
  if (!views) return;
  views.drawTemplates($<HTMLOListElement>('templates'), s);
  void views.drawChart($('confusion-chart'), views.confusionChart(s));
  drawSamples();
  $<HTMLButtonElement>('model-save').disabled = state.run !== 'idle';
}

function clearModelViews(): void {
  state.snapshot = undefined;
  state.losses = [];
  state.evaluations = [];
  $('templates').replaceChildren();
  $('model-summary').textContent = 'No model yet: train one, or open a saved model.json.';
  $<HTMLButtonElement>('model-save').disabled = true;
  if (views) {
    views.clearChart($('loss-chart'), 'Start a run to see its loss.');
    views.clearChart($('confusion-chart'), 'Appears once there is a model.');
  }
  drawSamples();
}

function onEvent(e: WorkerEvent): void {
  switch (e.event) {
    case 'probe': showProbe(e.row); break;
    case 'run-start':
      state.losses = [];
      state.evaluations = [];
      state.plannedIterations = e.iterations;
      state.runBackend = e.backend;
      break;
    case 'losses':
      for (const l of e.losses) state.losses.push(l);
      state.evaluations.push(...e.evaluations);
      scheduleLossChart();
      scheduleStatus();
      break;
    case 'snapshot': showSnapshot(e.snapshot); break;
    case 'data': showData(e.info); break;
    case 'state':
      if (state.run !== 'stopping') setRunState(e.state);
      scheduleStatus();
      break;
  }
}

async function startRun(): Promise<void> {
  setMessage('train-message', '');
  let settings: RunRequest;
  try {
    settings = readSettings();
  } catch (e) {
    setMessage('train-message', errorText(e));
    return;
  }
  if (!state.data) { setMessage('train-message', 'Load a data set first.'); return; }
  setRunState('running');
  $('run-status').textContent = `Starting on ${settings.backend}…`;
  try {
    const r = await client.call('train', settings) as RunSummary & { losses?: Float64Array; evaluations?: Evaluation[] };
    state.lastSummary = r;
    if (r.losses) state.losses = Array.from(r.losses);
    if (r.evaluations) state.evaluations = [...r.evaluations];
    scheduleLossChart(true);
    const ev = state.evaluations.at(-1);
    $('run-status').textContent = `${r.status === 'completed' ? 'Done' : r.status === 'stopped' ? 'Stopped' : 'Diverged'}: `
      + `${count(r.iterations, 'iteration')} (${r.epochs.toFixed(2)} epochs) on ${r.backend} in ${r.seconds.toFixed(2)} s; `
      + `final loss ${r.finalLoss.toPrecision(4)}`
      + (ev?.validationAccuracy !== undefined ? `, validation accuracy ${(100 * ev.validationAccuracy).toFixed(1)} %` : '')
      + `, test accuracy ${(100 * r.testAccuracy).toFixed(1)} %.`;
    if (r.status === 'diverged') setMessage('train-message', r.message ?? 'the run diverged');
    $('model-summary').textContent = `Trained on ${r.backend}: ${settings.settings.strategy}, ${settings.settings.loss}, test accuracy ${(100 * r.testAccuracy).toFixed(1)} %.`;
    // The address now reproduces this run: its settings and the backend that ran it.
    history.replaceState(null, '', `${location.pathname}?${settingsQuery(r.backend)}`);
    document.body.dataset['runs'] = String(Number(document.body.dataset['runs'] ?? 0) + 1);
  } catch (e) {
    $('run-status').textContent = 'The run failed.';
    setMessage('train-message', errorText(e));
  } finally {
    setRunState('idle');
  }
}

// ---- model file ----

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function saveModel(): Promise<void> {
  setMessage('model-message', '');
  try {
    download('model.json', await client.call('saveModel'));
    setMessage('model-message', 'Saved model.json (check your downloads).', 'ok');
  } catch (e) {
    setMessage('model-message', errorText(e));
  }
}

async function openModel(file: File): Promise<void> {
  setMessage('model-message', '');
  try {
    const { snapshot, summary } = await client.call('openModel', await file.text(), file.name);
    await viewsReady;
    showSnapshot(snapshot);
    $('model-summary').textContent = `Opened ${summary}.`;
    setMessage('model-message', `Opened ${file.name}.`, 'ok');
  } catch (e) {
    setMessage('model-message', `Could not open ${file.name}: ${errorText(e)}${state.snapshot ? ' — the current model is unchanged.' : ''}`);
  }
}

// ---- the lecture's tools ----

/** The tool's own fields first, then the objective and W's seed and scale from the training form. */
function diagnosticOptions(examplesId?: string): DiagnosticOptions {
  const examples = examplesId ? optional(examplesId, 'a whole number ≥ 1', isWhole) : undefined;
  return { backend: selectedBackend(), loss: $<HTMLSelectElement>('loss').value as DiagnosticOptions['loss'],
    reg: num('reg', 'a number ≥ 0', (v) => v >= 0), delta: setting('delta') ?? 1, seed: num('seed', 'an integer', Number.isInteger),
    initScale: num('init-scale', 'a number ≥ 0', (v) => v >= 0), ...(examples !== undefined ? { examples } : {}) };
}

/** A landscape's points and range, within the CLI's caps. */
function landscapeOptions(prefix: 'l1' | 'l2'): { points: number; range: number } {
  const cap = prefix === 'l1' ? TOOL_CAPS.points1D : TOOL_CAPS.points2D;
  return {
    points: num(`${prefix}-points`, `a whole number from 2 to ${cap}`, (v) => Number.isInteger(v) && v >= 2 && v <= cap),
    range: num(`${prefix}-range`, `a number > 0, at most ${TOOL_CAPS.range}`, (v) => v > 0 && v <= TOOL_CAPS.range),
  };
}

function tool(formId: string, messageId: string, run: () => Promise<void>): void {
  const form = $<HTMLFormElement>(formId);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button')!;
    button.disabled = true;
    setMessage(messageId, 'Working…', 'ok');
    $(messageId).setAttribute('aria-busy', 'true');
    state.busy++;
    try {
      await viewsReady;
      await run();
    } catch (e) {
      setMessage(messageId, errorText(e));
    } finally {
      state.busy--;
      button.disabled = false;
      $(messageId).removeAttribute('aria-busy');
    }
  });
}

tool('sweep-form', 'sweep-message', async () => {
  const r = await client.call('sweep', diagnosticOptions('sweep-examples'));
  await views!.drawChart($('sweep-chart'), views!.sweepChart(r));
  setMessage('sweep-message', `${r.at}; ‖∇L‖ = ${r.gradientNorm.toPrecision(4)}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

tool('l1-form', 'l1-message', async () => {
  const shape = landscapeOptions('l1');
  const r = await client.call('landscape1d', { ...diagnosticOptions('l1-examples'), ...shape });
  await views!.drawChart($('l1-chart'), views!.landscape1DChart(r));
  setMessage('l1-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

tool('l2-form', 'l2-message', async () => {
  const shape = landscapeOptions('l2');
  const r = await client.call('landscape2d', { ...diagnosticOptions('l2-examples'), ...shape });
  await views!.drawChart($('l2-chart'), views!.landscape2DChart(r));
  setMessage('l2-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

/** The race's step size: the slider is its log10. */
const raceLr = () => Number((10 ** Number($<HTMLInputElement>('race-lr').value)).toPrecision(3));

let raceGeneration = 0;

/** Runs the race and draws it: played step by step when `play` (the Race button), at its end at once (a slider). */
async function race(play = false): Promise<void> {
  const generation = ++raceGeneration;
  const steps = num('race-steps', `a whole number from 1 to ${RACE_CAPS.steps}`, (v) => Number.isInteger(v) && v >= 1 && v <= RACE_CAPS.steps);
  const r = await client.call('race', { ...diagnosticOptions('race-examples'), learningRate: raceLr(),
    momentum: Number($<HTMLInputElement>('race-momentum').value), steps, toward: $<HTMLSelectElement>('race-toward').value === 'toward' });
  await views!.drawChart($('race-chart'), views!.raceChart(r));
  if (play) await views!.animateRace($('race-chart'), steps);
  if (generation !== raceGeneration) return; // a newer race (a slider moved) has drawn and will say its own
  const ends = r.paths.map((p) => `${p.optimizer} ${p.losses[p.losses.length - 1]!.toFixed(3)}${p.diverged ? ' (diverged)' : ''}`).join(', ');
  setMessage('race-message', `${r.at}; from ${r.paths[0]?.losses[0]?.toFixed(3)} to ${ends}; ${r.seconds.toFixed(2)} s.`, 'ok');
}

tool('race-form', 'race-message', () => race(true));

// A slider restarts the race at once (the plane is kept in the worker; only the paths are recomputed),
// at most one race at a time: moves made meanwhile give one more race, with the latest values.
let racing = false, raceAgain = false;
for (const id of ['race-lr', 'race-momentum'] as const) {
  $<HTMLInputElement>(id).addEventListener('input', async () => {
    const shown = id === 'race-lr' ? String(raceLr()) : $<HTMLInputElement>(id).value;
    $(`${id}-value`).textContent = shown;
    $(id).setAttribute('aria-valuetext', shown);
    if (racing) { raceAgain = true; return; }
    racing = true;
    try {
      do {
        raceAgain = false;
        await viewsReady;
        await race().catch((e: unknown) => setMessage('race-message', errorText(e)));
      } while (raceAgain);
    } finally {
      racing = false;
    }
  });
}

/** A table of rows under a caption, in a scrolling wrapper. */
function resultTable(caption: string, headings: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const table = document.createElement('table');
  table.className = 'gc';
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const h of headings) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of row) tr.insertCell().textContent = v;
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  return wrap;
}

/** "from,to" with 0 < from < to, as the CLI's --lr-range. */
function range(id: string, what: string): [number, number] {
  const text = $<HTMLInputElement>(id).value.trim();
  const parts = text.split(',').map((p) => p.trim());
  const ok = (v: string) => /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v);
  if (parts.length !== 2 || !parts.every(ok) || !(Number(parts[0]) > 0 && Number(parts[0]) < Number(parts[1]))) {
    throw new Error(`${what}: expected "from,to" with 0 < from < to (e.g. 0.0001,1), got "${text}"`);
  }
  return [Number(parts[0]), Number(parts[1])];
}

tool('tune-form', 'tune-message', async () => {
  const whole = (id: string, what: string, cap: number) => num(id, `a whole number from 1 to ${cap}`, (v) => Number.isInteger(v) && v >= 1 && v <= cap);
  const r = await client.call('tune', { ...diagnosticOptions(), trials: whole('tune-trials', 'trials', STUDY_CAPS.trials),
    rounds: whole('tune-rounds', 'rounds', STUDY_CAPS.rounds), epochs: whole('tune-epochs', 'epochs', STUDY_CAPS.epochs),
    batchSize: whole('tune-batch', 'batch size', STUDY_CAPS.batchSize), lrRange: range('tune-lr', 'Learning rates'), regRange: range('tune-reg', 'Regularization') });
  const b = r.best;
  const summary = document.createElement('p');
  summary.textContent = `Best on validation: learning rate ${b.learningRate.toPrecision(3)}, reg ${b.reg.toPrecision(3)}: `
    + `validation ${(b.validationAccuracy * 100).toFixed(1)} %, test ${(b.testAccuracy * 100).toFixed(1)} %.`;
  const warnings = r.warnings.map((w) => Object.assign(document.createElement('p'), { className: 'warning', textContent: w }));
  const rows = [...r.trials].sort((x, y) => y.validationAccuracy - x.validationAccuracy)
    .map((t) => [String(t.round), t.learningRate.toPrecision(3), t.reg.toPrecision(3), `${(t.validationAccuracy * 100).toFixed(1)} %`, t.finalLoss.toPrecision(4), t.status]);
  $('tune-result').replaceChildren(summary, ...warnings, resultTable(`${r.trials.length} trials, best first`, ['round', 'learning rate', 'reg', 'validation', 'final loss', 'status'], rows));
  setMessage('tune-message', `${r.settings}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

tool('batches-form', 'batches-message', async () => {
  const trials = num('batches-trials', `a whole number from 1 to ${STUDY_CAPS.batchTrials}`, (v) => Number.isInteger(v) && v >= 1 && v <= STUDY_CAPS.batchTrials);
  const r = await client.call('batches', { ...diagnosticOptions(), trials });
  const rows = r.rows.map((x) => [String(x.batchSize), `${x.cosine.mean.toFixed(3)} ± ${x.cosine.std.toFixed(3)}`,
    `${x.relativeError.mean.toFixed(3)} ± ${x.relativeError.std.toFixed(3)}`, x.milliseconds.toPrecision(3), x.costVsFull.toPrecision(3)]);
  $('batches-result').replaceChildren(resultTable(`${count(r.n, 'training row')}; the full gradient took ${r.fullGradientMilliseconds.toPrecision(3)} ms`,
    ['batch size', 'cosine to the full gradient', 'relative error', 'ms a gradient', '× the full gradient\'s cost'], rows));
  setMessage('batches-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

tool('gc-form', 'gc-message', async () => {
  const h = num('gc-h', 'a number > 0, at most 1', (v) => v > 0 && v <= 1);
  const samples = optional('gc-samples', 'a whole number ≥ 1', isWhole);
  const r = await client.call('gradcheck', { ...diagnosticOptions('gc-examples'), method: $<HTMLSelectElement>('gc-method').value as 'centered' | 'forward',
    h, ...(samples !== undefined ? { samples } : {}), via: $<HTMLSelectElement>('gc-via').value as 'linearity' | 'backend' });
  const worst = [...r.rows].sort((a, b) => b.relativeError - a.relativeError).slice(0, 25);
  const summary = document.createElement('p');
  summary.className = 'gc-summary';
  const verdict = document.createElement('span');
  verdict.className = `verdict ${r.verdict}`;
  verdict.textContent = r.verdict;
  summary.append('Verdict: ', verdict, ` — ${r.explanation}. Max relative error ${r.maxRelativeError.toExponential(2)}, mean ${r.meanRelativeError.toExponential(2)}`
    + `; ${r.kinked} of ${count(r.rows.length, 'coordinate')} crossed a hinge kink.`);
  const caption = worst.length < r.rows.length ? `The ${worst.length} worst of ${r.rows.length} coordinates`
    : r.rows.length === 1 ? 'The one coordinate checked' : `All ${r.rows.length} coordinates checked, worst first`;
  const rows = worst.map((x) => [`W[${x.row}, ${x.col}]`, x.analytic.toExponential(6), x.numerical.toExponential(6), x.relativeError.toExponential(2), String(x.kinkCrossed)]);
  $('gc-result').replaceChildren(summary, resultTable(caption, ['W[row, class]', 'analytic', 'numerical', 'relative error', 'kinks'], rows));
  setMessage('gc-message', `${r.settings}; ${r.seconds.toFixed(2)} s.`, 'ok');
});

// ---- form behaviour: show the settings that apply ----

function updateVisibility(): void {
  const loss = $<HTMLSelectElement>('loss').value;
  const strategy = $<HTMLSelectElement>('strategy').value;
  const optimizer = $<HTMLSelectElement>('optimizer').value;
  const schedule = $<HTMLSelectElement>('schedule').value;
  const gradient = !isSearchStrategy(strategy as StrategyName);
  const show: Record<string, boolean> = {
    margin: hasMargin(loss as LossName), gradient, search: !gradient,
    momentum: gradient && (optimizer === 'momentum' || optimizer === 'nesterov'),
    step: gradient && schedule === 'step', decay: gradient && (schedule === 'exponential' || schedule === 'inverse'),
  };
  for (const el of document.querySelectorAll<HTMLElement>('[data-when]')) el.hidden = !show[el.dataset['when']!];
}

for (const id of ['loss', 'strategy', 'optimizer', 'schedule']) $(id).addEventListener('change', updateVisibility);
$('strategy').addEventListener('change', () => {
  const s = $<HTMLSelectElement>('strategy').value;
  const unit = $<HTMLSelectElement>('length-unit');
  const len = $<HTMLInputElement>('length');
  const search = isSearchStrategy(s as StrategyName);
  if (search && unit.value === 'epochs') { unit.value = 'iterations'; len.value = '200'; }
  else if (!search && unit.value === 'iterations' && len.value === '200') { unit.value = 'epochs'; len.value = '5'; }
});
updateVisibility();

// ---- wiring ----

let currentRun: Promise<void> | undefined;
$<HTMLFormElement>('train-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (state.run !== 'idle') return;
  currentRun = startRun().finally(() => { currentRun = undefined; });
});
$('pause').addEventListener('click', () => {
  // A failed pause or resume (the run ended meanwhile, or its snapshot failed) is shown, not left unhandled.
  const shown = (e: unknown) => { $('train-message').textContent = `Could not ${state.run === 'paused' ? 'resume' : 'pause'}: ${(e as Error).message}`; };
  if (state.run === 'running') { client.call('pause').catch(shown); setRunState('paused'); $('run-status').textContent = runStatus(); }
  else if (state.run === 'paused') { client.call('resume').catch(shown); setRunState('running'); }
});
$('stop').addEventListener('click', () => {
  setRunState('stopping');
  $('run-status').textContent = 'Stopping…';
  void client.call('stop');
});
$('reset').addEventListener('click', async () => {
  // A run in progress is stopped first and allowed to finish, then its model is dropped.
  if (currentRun) {
    setRunState('stopping');
    await client.call('stop');
    await currentRun;
  }
  await client.call('reset');
  clearModelViews();
  setMessage('train-message', '');
  setMessage('model-message', '');
  $('run-status').textContent = 'Reset: no model.';
});
$('data-embedded').addEventListener('click', () => void loadData(() => client.call('loadEmbedded', new URL('data/fashion-mnist-subset/', location.href).href), 'the embedded Fashion-MNIST subset'));
$<HTMLInputElement>('data-files').addEventListener('change', async (ev) => {
  const input = ev.target as HTMLInputElement;
  const files = [...(input.files ?? [])];
  input.value = '';
  if (files.length === 0) return;
  const named = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  await loadData(() => client.call('loadFiles', named), files.map((f) => f.name).join(', '));
});
$('model-save').addEventListener('click', () => void saveModel());
$<HTMLInputElement>('model-file').addEventListener('change', (ev) => {
  const input = ev.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (file) void openModel(file);
});

client.on(onEvent);
buildBackendMenu();
setRunState('idle');

// For tests and the curious: the page's state, read-only.
(globalThis as { __descent?: unknown }).__descent = { state };

void (async () => {
  await viewsReady;
  await loadData(() => client.call('loadEmbedded', new URL('data/fashion-mnist-subset/', location.href).href), 'the embedded Fashion-MNIST subset');
  // A link's settings, after the data (which sets "Training rows" to its default).
  const link = location.search;
  if (link) {
    const skipped = applySettingsQuery(link);
    updateVisibility();
    if (skipped.length > 0) setMessage('train-message', `The link's ${skipped.join(', ')} could not be applied (unknown, too long, or not offered here).`);
  }
  // ts and auto are selectable at once; any other backend once probing has found it runs here.
  let backendApplied = link ? applyBackendQuery(link) : true;
  document.body.dataset['ready'] = 'true';
  // Probing loads each backend's runtime (in the worker), so it starts after the data is in.
  await client.call('probe').then((r) => showAuto(r.auto), (e) => { $('probe-status').textContent = `Probing failed: ${errorText(e)}`; });
  if (!backendApplied && new URLSearchParams(link).has('backend')) {
    backendApplied = applyBackendQuery(link);
    if (!backendApplied) setMessage('train-message', `The link's backend (${new URLSearchParams(link).get('backend')}) does not run here; choose another.`);
  }
  document.body.dataset['probed'] = 'true';
})();
