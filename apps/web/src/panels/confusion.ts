import type { Panel } from '../page/context.js';
import { $ } from '../page/dom.js';

const PLACEHOLDER = 'The confusion matrix on the test split appears once there is a model.';

/**
 * The confusion matrix on the test split. During a run each snapshot replaces the numbers of
 * the picture already drawn (same classes: same layout), rather than drawing a new one.
 */
export const confusionPanel: Panel = {
  mount(page) {
    page.on('model', (s) => {
      if (!s) return;
      void page.views().then((v) => {
        const spec = v.confusionChart(s);
        return v.drawChart($('confusion-chart'), spec, `${s.classNames.join('\u0000')}|${String((spec as { height?: unknown }).height)}`);
      });
    });
    page.on('clear', () => { page.loadedViews()?.clearChart($('confusion-chart'), PLACEHOLDER); });
  },
};
