import type { Panel } from '../page/context.js';
import { $ } from '../page/dom.js';
import type { Snapshot } from '../protocol.js';

const PLACEHOLDER = 'Appears once there is a model: each cell counts the test images of a class (row) predicted as another (column).';

/** While a run streams, the matrix follows its snapshots at most this often (a redraw of a hundred cells costs a frame). */
const RUNNING_EVERY_MS = 1000;

/**
 * The confusion matrix on the test split. During a run each snapshot replaces the numbers of
 * the picture already drawn (same classes: same layout), rather than drawing a new one.
 */
export const confusionPanel: Panel = {
  mount(page) {
    let last = 0;
    let timer: number | undefined;
    let pending: Snapshot | undefined;
    const key = (names: readonly string[], spec: unknown) => `${names.join('\u0000')}|${String((spec as { height?: unknown }).height)}`;
    const draw = (s: Snapshot) => {
      // Whatever waited is older than this one.
      if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
      pending = undefined;
      last = performance.now();
      void page.views().then((v) => {
        const spec = v.confusionChart(s);
        return v.drawChart($('confusion-chart'), spec, key(s.classNames, spec));
      });
    };
    // Before there is a model, the frame of the data's matrix: a run's first snapshot then only fills in its numbers.
    const empty = () => {
      const d = page.state.data;
      if (!d || page.state.snapshot) return;
      void page.views().then((v) => {
        const spec = v.emptyConfusionChart(d.classNames, PLACEHOLDER);
        // (Too many classes for a grid: the chart of the most confused pairs has no empty frame.)
        if (!spec) { v.clearChart($('confusion-chart'), PLACEHOLDER); return undefined; }
        return v.drawChart($('confusion-chart'), spec, key(d.classNames, spec));
      });
    };
    page.on('data', empty);
    page.on('model', (s) => {
      if (!s) return;
      const wait = page.state.run === 'running' ? RUNNING_EVERY_MS - (performance.now() - last) : 0;
      if (wait <= 0) { draw(s); return; }
      pending = s;
      timer ??= window.setTimeout(() => {
        timer = undefined;
        if (pending) draw(pending);
      }, wait);
    });
    // A run's last snapshot is drawn as soon as it ends.
    page.on('run', (state) => {
      if (state === 'idle' && pending) draw(pending);
    });
    page.on('clear', () => {
      pending = undefined;
      empty();
    });
  },
};
