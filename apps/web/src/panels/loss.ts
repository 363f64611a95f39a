import type { Panel } from '../page/context.js';
import { $ } from '../page/dom.js';
import type { Evaluation } from '../protocol.js';
import type { LiveLoss } from '../views.js';

/**
 * The live loss and accuracy chart: one view, drawn empty when the page loads, that each run
 * resets and fills; what arrives from the worker is gathered and appended at most once an
 * animation frame, one append at a time.
 */
export const lossPanel: Panel = {
  mount(page) {
    let chart: Promise<LiveLoss> | undefined;
    let losses: number[] = [], evaluations: Evaluation[] = [];
    let frame: number | undefined;
    let appending: Promise<void> = Promise.resolve();
    let ended = false;

    const flush = () => {
      frame = undefined;
      const current = chart;
      if (!current) return;
      const l = losses, e = evaluations;
      losses = [];
      evaluations = [];
      const done = ended;
      appending = appending.then(async () => {
        const live = await current;
        if (l.length > 0 || e.length > 0) await live.append(l, e);
        if (done) await live.finish();
      }).catch(() => undefined);
    };
    const schedule = () => { if (frame === undefined) frame = requestAnimationFrame(flush); };

    page.on('run-start', ({ iterations, backend }) => {
      losses = [];
      evaluations = [];
      ended = false;
      chart = appending.then(() => page.views()).then((v) => v.startLiveLoss($('loss-chart'), `Training loss — ${backend}`, iterations));
      appending = chart.then(() => undefined, () => undefined);
    });
    page.on('progress', (p) => {
      for (const l of p.losses) losses.push(l);
      evaluations.push(...p.evaluations);
      schedule();
    });
    page.on('run-end', () => {
      ended = true;
      if (frame !== undefined) cancelAnimationFrame(frame);
      flush();
    });
    page.on('clear', () => {
      chart = undefined;
      losses = [];
      evaluations = [];
      appending = appending.then(() => page.views()).then((v) => v.resetLiveLoss($('loss-chart'))).catch(() => undefined);
    });
    // The empty chart is drawn once the drawing code is in: a run then only fills it.
    appending = page.views().then((v) => v.resetLiveLoss($('loss-chart'))).catch(() => undefined);
  },
};
