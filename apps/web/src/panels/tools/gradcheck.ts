import type { Panel } from '../../page/context.js';
import { $, isWhole, num, optional, resultTable, setMessage } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';
import { count } from '../../protocol.js';

/** The gradient check: the analytic gradient against centered or forward differences, with the kinks said. */
export const gradcheckPanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="gc-title">Gradient check</h3>
    <form class="tool" id="gc-form" aria-labelledby="gc-title" novalidate>
      <span class="f"><label for="gc-method">Differences</label> <select id="gc-method"><option value="centered">centered</option><option value="forward">forward</option></select></span>
      <span class="f"><label for="gc-h">h</label> <input id="gc-h" type="number" min="0" step="any" value="0.00001" inputmode="decimal"></span>
      <span class="f"><label for="gc-samples">Coordinates</label> <input id="gc-samples" type="number" min="1" step="1" value="20" placeholder="all" inputmode="numeric"></span>
      <span class="f"><label for="gc-examples">Training rows</label> <input id="gc-examples" type="number" min="1" step="1" value="500" inputmode="numeric"></span>
      <span class="f"><label for="gc-via">Numerical gradient</label> <select id="gc-via"><option value="linearity">by linearity (float64, O(N) per probe)</option><option value="backend">re-evaluated on the backend</option></select></span>
      <button type="submit">Check gradient</button>
    </form>
    <div id="gc-result"></div>
    <p id="gc-message" class="message" role="alert"></p>`,
  mount(page) {
    tool(page, 'gc-form', 'gc-message', async () => {
      const h = num('gc-h', 'a number > 0, at most 1', (v) => v > 0 && v <= 1);
      const samples = optional('gc-samples', 'a whole number ≥ 1', isWhole);
      const r = await page.client.call('gradcheck', { ...diagnosticOptions('gc-examples'), method: $<HTMLSelectElement>('gc-method').value as 'centered' | 'forward',
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
  },
};
