import {
  hasMargin, isSearchStrategy, LOSS_LABELS, LOSS_NAMES, OPTIMIZER_NAMES, OPTIMIZERS, SAMPLER_LABELS, SAMPLER_NAMES, SCHEDULE_LABELS,
  SCHEDULE_NAMES, STRATEGIES, STRATEGY_NAMES,
} from '@descent/core';
import type { LossName, StrategyName } from '@descent/core';
import { clearModel, type Page, type Panel, type RunState } from '../page/context.js';
import { $, errorText, setMessage } from '../page/dom.js';
import { readSettings } from '../page/form.js';
import { count, type Evaluation, type RunRequest, type RunSummary, type WorkerEvent } from '../protocol.js';
import { settingsQuery } from '../share.js';

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

/**
 * The run bar (backend, objective, optimizer, learning rate; start, pause, step, stop, reset;
 * the run's status) and the settings panel: a run's whole life on the page.
 */
export const trainingPanel: Panel = {
  mount(page) {
    fillSelect('loss', LOSS_NAMES, 'softmax');
    fillSelect('strategy', STRATEGY_NAMES, 'minibatch');
    fillSelect('optimizer', OPTIMIZER_NAMES, 'momentum');
    fillSelect('schedule', SCHEDULE_NAMES, 'constant');
    fillSelect('sampler', SAMPLER_NAMES, '', 'default');
    for (const id of ['loss', 'strategy', 'optimizer', 'schedule']) $(id).addEventListener('change', updateVisibility);
    $('strategy').addEventListener('change', strategyLength);
    updateVisibility();
    wireButtons(page);
    page.client.on((e) => onWorkerEvent(page, e));
    setRunState(page, 'idle');
  },
};

/** Shows the settings that apply (the margin for the SVMs, momentum for momentum and Nesterov, …). */
export function updateVisibility(): void {
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

/** A search counts iterations, gradient descent epochs: switching between them swaps the default run length. */
function strategyLength(): void {
  const s = $<HTMLSelectElement>('strategy').value;
  const unit = $<HTMLSelectElement>('length-unit');
  const len = $<HTMLInputElement>('length');
  const search = isSearchStrategy(s as StrategyName);
  if (search && unit.value === 'epochs') { unit.value = 'iterations'; len.value = '200'; }
  else if (!search && unit.value === 'iterations' && len.value === '200') { unit.value = 'epochs'; len.value = '5'; }
}

function setRunState(page: Page, s: RunState): void {
  page.state.run = s;
  const running = s === 'running' || s === 'paused';
  $<HTMLButtonElement>('start').disabled = s !== 'idle';
  const pause = $<HTMLButtonElement>('pause');
  pause.disabled = !running;
  pause.textContent = s === 'paused' ? 'Resume' : 'Pause';
  pause.setAttribute('aria-pressed', String(s === 'paused'));
  $<HTMLButtonElement>('step').disabled = !(s === 'idle' || s === 'paused');
  $<HTMLButtonElement>('stop').disabled = !running;
  document.body.dataset['run'] = s;
  page.emit('run', s);
}

function runStatus(page: Page): string {
  const { state } = page;
  const n = state.losses.length;
  const last = state.losses[n - 1];
  const ev = state.evaluations.at(-1);
  return `${state.run === 'paused' ? 'Paused' : 'Training'} on ${state.runBackend}: iteration ${n} of ${state.plannedIterations}`
    + (last !== undefined ? `, loss ${last.toPrecision(4)}` : '')
    + (ev?.validationAccuracy !== undefined ? `, validation accuracy ${(100 * ev.validationAccuracy).toFixed(1)} %` : '');
}

let statusTimer: number | undefined;
/** The status line follows the run a few times a second (a live region: not every frame). */
function scheduleStatus(page: Page): void {
  if (statusTimer !== undefined) return;
  statusTimer = window.setTimeout(() => {
    statusTimer = undefined;
    if (page.state.run === 'running' || page.state.run === 'paused') $('run-status').textContent = runStatus(page);
  }, 250);
}

function onWorkerEvent(page: Page, e: WorkerEvent): void {
  const { state } = page;
  switch (e.event) {
    case 'run-start':
      state.losses = [];
      state.evaluations = [];
      state.plannedIterations = e.iterations;
      state.runBackend = e.backend;
      page.emit('run-start', { iterations: e.iterations, backend: e.backend, strategy: e.strategy });
      break;
    case 'losses': {
      const losses = Array.from(e.losses);
      for (const l of losses) state.losses.push(l);
      state.evaluations.push(...e.evaluations);
      page.emit('progress', { losses, evaluations: e.evaluations });
      scheduleStatus(page);
      break;
    }
    case 'snapshot':
      state.snapshot = e.snapshot;
      page.emit('model', e.snapshot);
      break;
    case 'state':
      if (state.run !== 'stopping') setRunState(page, e.state);
      scheduleStatus(page);
      break;
    default:
  }
}

let currentRun: Promise<void> | undefined;

function wireButtons(page: Page): void {
  const begin = (paused: boolean): Promise<RunSummary | undefined> => {
    if (page.state.run !== 'idle') return Promise.resolve(undefined);
    const started = startRun(page, paused);
    currentRun = started.then(() => undefined).finally(() => { currentRun = undefined; });
    return started;
  };
  page.provideStartRun(() => begin(false));
  $<HTMLFormElement>('train-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void begin(false);
  });
  $('pause').addEventListener('click', () => {
    // A failed pause or resume (the run ended meanwhile, or its snapshot failed) is shown, not left unhandled.
    const shown = (e: unknown) => { $('train-message').textContent = `Could not ${page.state.run === 'paused' ? 'resume' : 'pause'}: ${(e as Error).message}`; };
    if (page.state.run === 'running') { page.client.call('pause').catch(shown); setRunState(page, 'paused'); $('run-status').textContent = runStatus(page); }
    else if (page.state.run === 'paused') { page.client.call('resume').catch(shown); setRunState(page, 'running'); }
  });
  // Step: one iteration of a paused run; on an idle page, a run that starts paused, then its first step.
  $('step').addEventListener('click', async () => {
    const step = $<HTMLButtonElement>('step');
    // Disabled while the step is taken; the keyboard's focus comes back to it (a disabled button loses it).
    const focused = document.activeElement === step;
    step.disabled = true;
    try {
      if (page.state.run === 'idle') {
        void begin(true);
        await new Promise<void>((resolve) => {
          const check = () => (page.state.run === 'paused' || page.state.run === 'idle' ? resolve() : requestAnimationFrame(check));
          check();
        });
        if ((page.state.run as RunState) !== 'paused') return;
      }
      await page.client.call('step');
      // (A last step ends the run: its summary, already shown, stays.)
      if (page.state.run === 'paused') $('run-status').textContent = runStatus(page);
    } catch (e) {
      setMessage('train-message', `Could not step: ${errorText(e)}`);
    } finally {
      step.disabled = !(page.state.run === 'idle' || page.state.run === 'paused');
      if (focused && !step.disabled) step.focus();
    }
  });
  $('stop').addEventListener('click', () => {
    setRunState(page, 'stopping');
    $('run-status').textContent = 'Stopping…';
    void page.client.call('stop');
  });
  $('reset').addEventListener('click', async () => {
    // A run in progress is stopped first and allowed to finish, then its model is dropped.
    if (currentRun) {
      setRunState(page, 'stopping');
      await page.client.call('stop');
      await currentRun;
    }
    await page.client.call('reset');
    clearModel(page);
    setMessage('train-message', '');
    $('run-status').textContent = 'Reset: no model.';
  });
}

async function startRun(page: Page, paused: boolean): Promise<RunSummary | undefined> {
  setMessage('train-message', '');
  let request: RunRequest;
  try {
    request = { ...readSettings(), ...(paused ? { paused } : {}) };
  } catch (e) {
    setMessage('train-message', errorText(e));
    return undefined;
  }
  if (!page.state.data) { setMessage('train-message', 'Load a data set first.'); return undefined; }
  setRunState(page, 'running');
  $('run-status').textContent = `Starting on ${request.backend}…`;
  try {
    const r = await page.client.call('train', request) as RunSummary & { losses?: Float64Array; evaluations?: Evaluation[] };
    const { state } = page;
    state.lastSummary = r;
    if (r.losses) state.losses = Array.from(r.losses);
    if (r.evaluations) state.evaluations = [...r.evaluations];
    page.emit('run-end', r);
    const ev = state.evaluations.at(-1);
    $('run-status').textContent = `${r.status === 'completed' ? 'Done' : r.status === 'stopped' ? 'Stopped' : 'Diverged'}: `
      + `${count(r.iterations, 'iteration')} (${r.epochs.toFixed(2)} epochs) on ${r.backend} in ${r.seconds.toFixed(2)} s; `
      + `final loss ${r.finalLoss.toPrecision(4)}`
      + (ev?.validationAccuracy !== undefined ? `, validation accuracy ${(100 * ev.validationAccuracy).toFixed(1)} %` : '')
      + `, test accuracy ${(100 * r.testAccuracy).toFixed(1)} %.`;
    if (r.status === 'diverged') setMessage('train-message', r.message ?? 'the run diverged');
    $('model-summary').textContent = `Trained on ${r.backend}: ${request.settings.strategy}, ${request.settings.loss}, test accuracy ${(100 * r.testAccuracy).toFixed(1)} %.`;
    // The address now reproduces this run: its settings and the backend that ran it.
    history.replaceState(null, '', `${location.pathname}?${settingsQuery(r.backend)}`);
    document.body.dataset['runs'] = String(Number(document.body.dataset['runs'] ?? 0) + 1);
    return r;
  } catch (e) {
    $('run-status').textContent = 'The run failed.';
    setMessage('train-message', errorText(e));
    return undefined;
  } finally {
    setRunState(page, 'idle');
  }
}
