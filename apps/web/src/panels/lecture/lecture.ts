import type { Page, Panel } from '../../page/context.js';
import { $, errorText, resultTable, setMessage } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { count, type RunSummary } from '../../protocol.js';
import { showMode } from '../../page/mode.js';
import { updateVisibility } from '../training.js';
import {
  CHANCE, CIFAR_PARAMETERS, ILSVRC_TRAINING_IMAGES, LOCAL_SEARCH_ACCURACY, RANDOM_SEARCH_ACCURACY, STEP_SIZE_TABLE, TYPICAL_BATCH,
} from './figures.js';

/**
 * The lecture as a path: its sections in its order, each with one button that reproduces its
 * experiment on the loaded data, the lecture's own figure beside ours, and a way on into the
 * playground (the experiment's settings are left in the run bar and the settings panel, its
 * model in the views).
 */

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The searches and gradient descent train on this many rows: 1000 tries of a full loss each are slow on the slowest backends. */
const SEARCH_ROWS = 2000;

/** Puts the experiment's settings into the page's form, as a user would, for the run and for the playground after it. */
function applySettings(fields: Record<string, string>): void {
  $<HTMLInputElement>('resume').checked = false;
  // Every value first, then the change events: a strategy's change would otherwise swap the run length set after it.
  for (const [id, value] of Object.entries(fields)) $<HTMLInputElement | HTMLSelectElement>(id).value = value;
  for (const id of Object.keys(fields)) $(id).dispatchEvent(new Event('change', { bubbles: true }));
  updateVisibility();
}

interface Section {
  readonly id: string;
  readonly title: string;
  /** The lecture's point, in a sentence or two (HTML). */
  readonly text: string;
  readonly button: string;
  /** The lecture's own figure (HTML). */
  readonly lecture: string;
  /** Where "Continue in the playground" leads. */
  readonly playground: string;
  /** Runs the experiment; returns what to show as ours. */
  run(page: Page): Promise<HTMLElement | string>;
}

/** Accuracies measured here, by section, for the comparison under "following the gradient". */
const measured = new Map<string, number>();

async function trainAs(page: Page, fields: Record<string, string>): Promise<RunSummary> {
  // Before the form is touched: a run under way keeps the settings it was started with.
  if (page.state.run !== 'idle') throw new Error('a run is in progress: stop it (or let it finish) first');
  applySettings({ pace: '0', 'length-unit': 'iterations', limit: String(SEARCH_ROWS), seed: '1', 'init-scale': '0.001', 'batch-size': '', sampler: '', ...fields });
  const r = await page.startRun();
  if (!r) throw new Error($('train-message').textContent || 'the run did not start');
  return r;
}

function accuracyLine(id: string, r: RunSummary, what: string): HTMLElement {
  measured.set(id, r.testAccuracy);
  const p = document.createElement('p');
  p.className = 'figure';
  p.dataset['accuracy'] = String(r.testAccuracy);
  p.textContent = `${pct(r.testAccuracy)} test accuracy (${what}; ${r.seconds.toFixed(1)} s on ${r.backend})`;
  return p;
}

const SECTIONS: readonly Section[] = [
  {
    id: 'random', title: '1. Random search',
    text: 'A very bad idea, tried first: draw random weights, keep the W with the lowest training loss.',
    button: 'Try 1000 random W',
    lecture: `${pct(RANDOM_SEARCH_ACCURACY)} test accuracy on CIFAR-10 from the best of 1000 random W (chance: ${pct(CHANCE)}).`,
    playground: 'train-form',
    run: async (page) => accuracyLine('random', await trainAs(page, { strategy: 'random-search', loss: 'svm', reg: '0', length: '1000' }),
      `best of 1000 random W, multiclass SVM loss on ${SEARCH_ROWS} training rows`),
  },
  {
    id: 'local', title: '2. Random local search',
    text: 'Start somewhere, try a small random step, and take it only if the loss goes down: a blindfolded hiker feeling for the slope with a foot.',
    button: 'Take 1000 random steps',
    lecture: `${pct(LOCAL_SEARCH_ACCURACY)} test accuracy on CIFAR-10 after 1000 tries of steps of size 0.0001.`,
    playground: 'train-form',
    run: async (page) => accuracyLine('local', await trainAs(page, { strategy: 'random-local-search', loss: 'svm', reg: '0', length: '1000', 'search-step': '0.0001' }),
      `1000 tries, step 0.0001, on ${SEARCH_ROWS} training rows`),
  },
  {
    id: 'gradient', title: '3. Following the gradient',
    text: 'No need to search: the gradient is the direction in which the loss rises fastest. Step the other way, W ← W − step·∇L, over the whole training set each step.',
    button: 'Follow the gradient for 100 steps',
    lecture: 'Far better than both searches: the gradient is the best direction to step in (for small steps), and finding it costs one pass over the data instead of many tries.',
    playground: 'train-form',
    run: async (page) => {
      const line = accuracyLine('gradient', await trainAs(page, { strategy: 'gd', loss: 'svm', reg: '0', length: '100', optimizer: 'sgd', lr: '0.05', schedule: 'constant' }),
        `100 full-batch gradient steps of 0.05 on the same rows`);
      const wrap = document.createElement('div');
      wrap.append(line);
      const [a, b, c] = ['random', 'local', 'gradient'].map((k) => measured.get(k));
      if (a !== undefined && b !== undefined && c !== undefined) {
        const order = document.createElement('p');
        order.className = 'ordering';
        order.textContent = `Here: random search ${pct(a)} ${a < b ? '<' : '≥'} random local search ${pct(b)} ${b < c ? '<' : '≥'} following the gradient ${pct(c)}.`;
        wrap.append(order);
      }
      return wrap;
    },
  },
  {
    id: 'numerical', title: '4. Numerical versus analytic gradients',
    text: 'The numerical gradient, (L(W + h) − L(W − h)) / 2h one weight at a time, is simple and approximate and needs a loss evaluation per weight. The analytic one, from calculus, is exact and fast but easy to get wrong: compute it, and check it against the numerical one.',
    button: 'Check the gradient at a random W',
    lecture: `On CIFAR-10, one numerical gradient takes ${CIFAR_PARAMETERS.toLocaleString('en')} + 1 loss evaluations (W is 10 × 3073); the analytic gradient is one pass. In practice: the analytic gradient, checked against the numerical one (the gradient check) with h around 1e-5 and centered differences.`,
    playground: 'gc-title',
    run: async (page) => {
      // The numerical gradient in float64 (by the scores' linearity, as the CLI's gradcheck): a float32
      // backend's own differences at h = 1e-5 are rounding noise, which the check would only call inconclusive.
      const r = await page.client.call('gradcheck', { ...diagnosticOptions(), fresh: true, examples: 500, method: 'centered', h: 1e-5, samples: 20, via: 'linearity' });
      const p = document.createElement('p');
      p.className = 'figure';
      const numericalSeconds = (2 * r.parameters * r.lossMilliseconds) / 1000;
      p.dataset['relativeError'] = String(r.maxRelativeError);
      p.textContent = `W has ${r.parameters.toLocaleString('en')} weights here: one numerical gradient (centered) is ${(2 * r.parameters).toLocaleString('en')} loss evaluations of `
        + `${r.lossMilliseconds.toFixed(2)} ms, about ${numericalSeconds.toFixed(1)} s; the analytic gradient took ${r.gradientMilliseconds.toFixed(2)} ms `
        + `(${(numericalSeconds * 1000 / Math.max(r.gradientMilliseconds, 1e-3)).toFixed(0)} times less). On ${count(r.rows.length, 'weight')} checked `
        + `against centered differences in float64, the largest relative error is ${r.maxRelativeError.toExponential(1)}: ${r.verdict}.`;
      return p;
    },
  },
  {
    id: 'step', title: '5. The step size',
    text: 'The gradient gives the direction, not how far to go. Too small a step and the loss barely moves; too large and it overshoots and rises: the step size (learning rate) is the first setting to get right.',
    button: 'Take one step of each size',
    lecture: `From a loss of ${STEP_SIZE_TABLE.originalLoss} (CIFAR-10), the loss after one step of each size: best ${Math.min(...STEP_SIZE_TABLE.rows.map((r) => r.loss))} at 1e-6, and past 2500 at 1e-2.`,
    playground: 'sweep-title',
    run: async (page) => {
      const r = await page.client.call('sweep', { ...diagnosticOptions(), loss: 'softmax', fresh: true });
      const ours = new Map(r.rows.map((x) => [x.size.toExponential(0), x.loss]));
      const rows = STEP_SIZE_TABLE.rows.map((x) => [x.size.toExponential(0), String(x.loss), ours.get(x.size.toExponential(0))?.toPrecision(7) ?? '—']);
      const wrap = document.createElement('div');
      wrap.dataset['best'] = String(r.best.size);
      wrap.append(resultTable(`The loss after one gradient step, from the lecture's ${STEP_SIZE_TABLE.originalLoss} and our ${r.initialLoss.toPrecision(7)} (softmax, ${r.at})`,
        ['step size', 'the lecture (CIFAR-10)', 'here'], rows));
      const best = document.createElement('p');
      best.className = 'figure';
      best.textContent = `Best here: ${r.best.size.toExponential(0)} (loss ${r.best.loss.toPrecision(4)}). Our pixels are scaled to 0…1 less the mean image; the lecture's were raw 0…255, so its good steps are about 255² times smaller.`;
      wrap.append(best);
      return wrap;
    },
  },
  {
    id: 'minibatch', title: '6. Minibatches',
    text: 'A full pass for every step is wasteful when the training set is large: the gradient of a small random batch points nearly the same way, at a fraction of the cost. One example a batch is stochastic gradient descent (SGD).',
    button: 'Compare batch gradients with the full one',
    lecture: `A typical batch: ${TYPICAL_BATCH} examples of ILSVRC's ${(ILSVRC_TRAINING_IMAGES / 1e6).toFixed(1)} million; its gradient is a good approximation of the full one, and many cheap steps beat a few exact ones.`,
    playground: 'batches-title',
    run: async (page) => {
      const r = await page.client.call('batches', { ...diagnosticOptions(), fresh: true, trials: 10 });
      const at = r.rows.find((x) => x.batchSize === TYPICAL_BATCH) ?? r.rows[Math.floor(r.rows.length / 2)]!;
      const p = document.createElement('p');
      p.className = 'figure';
      p.dataset['cosine'] = String(at.cosine.mean);
      p.textContent = `A batch of ${at.batchSize} of ${count(r.n, 'training row')}: its gradient's cosine to the full gradient is ${at.cosine.mean.toFixed(3)} ± ${at.cosine.std.toFixed(3)}, `
        + `at ${at.costVsFull.toPrecision(2)} of the full gradient's cost (${r.fullGradientMilliseconds.toPrecision(3)} ms).`;
      return p;
    },
  },
];

function sectionHtml(s: Section): string {
  return `
    <section class="lecture-step card" id="lecture-${s.id}" aria-labelledby="lecture-${s.id}-title">
      <h3 id="lecture-${s.id}-title">${s.title}</h3>
      <p>${s.text}</p>
      <div class="row"><button type="button" class="primary" id="lecture-${s.id}-run">${s.button}</button>
        <button type="button" id="lecture-${s.id}-playground">Continue in the playground</button></div>
      <div class="compare">
        <div class="theirs"><h4>The lecture</h4><p class="figure" data-lecture>${s.lecture}</p></div>
        <div class="ours"><h4>Here, on <span class="data-name">the loaded data</span></h4><div id="lecture-${s.id}-ours" data-ours aria-live="polite"><p class="placeholder">Not run yet.</p></div></div>
      </div>
      <p id="lecture-${s.id}-message" class="message" role="status"></p>
    </section>`;
}

export const lecturePanel: Panel = {
  area: 'lecture',
  html: `
    <p class="hint">CS231n's lecture on optimization, step by step: each section reproduces the lecture's experiment on the data loaded here
    (on the backend chosen in the run bar), beside the lecture's own figure from CIFAR-10, and leaves its settings in the playground.</p>
    ${SECTIONS.map(sectionHtml).join('')}`,
  mount(page) {
    page.on('data', (d) => { for (const el of document.querySelectorAll('.lecture-step .data-name')) el.textContent = d.name; });
    for (const s of SECTIONS) {
      const button = $<HTMLButtonElement>(`lecture-${s.id}-run`);
      button.addEventListener('click', async () => {
        const message = `lecture-${s.id}-message`;
        // Each experiment starts from the lecture's own W or settings: not at a run's weights.
        if (page.state.run !== 'idle') { setMessage(message, 'A run is in progress: stop it (or let it finish) first.'); return; }
        const focused = document.activeElement === button;
        button.disabled = true;
        setMessage(message, 'Working…', 'ok');
        $(message).setAttribute('aria-busy', 'true');
        try {
          const ours = await s.run(page);
          $(`lecture-${s.id}-ours`).replaceChildren(ours);
          setMessage(message, '');
        } catch (e) {
          setMessage(message, errorText(e));
        } finally {
          button.disabled = false;
          $(message).removeAttribute('aria-busy');
          if (focused) button.focus();
        }
      });
      $(`lecture-${s.id}-playground`).addEventListener('click', () => {
        location.hash = 'playground';
        showMode();
        const target = $(s.playground);
        target.scrollIntoView({ block: 'start' });
      });
    }
  },
};
