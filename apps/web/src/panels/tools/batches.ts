import type { Panel } from '../../page/context.js';
import { $, resultTable, setMessage, whole } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';
import { count, STUDY_CAPS } from '../../protocol.js';

/** core's batch-size study: how well a minibatch's gradient points along the full one, and its cost (the CLI's descent batches). */
export const batchesPanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="batches-title">Minibatch gradients against the full one</h3>
    <p class="hint">For batch sizes 1, 2, 4, … and the whole training set: how well a random batch's gradient points along the full gradient (cosine), how far it is from it, and what it costs (the CLI's <code>descent batches</code>).</p>
    <form class="tool" id="batches-form" aria-labelledby="batches-title" novalidate>
      <span class="f"><label for="batches-trials">Batches a size</label> <input id="batches-trials" type="number" min="1" step="1" value="10" inputmode="numeric"></span>
      <button type="submit">Study</button>
    </form>
    <div id="batches-result"></div>
    <p id="batches-message" class="message" role="alert"></p>`,
  mount(page) {
    tool(page, 'batches-form', 'batches-message', async () => {
      const trials = whole('batches-trials', STUDY_CAPS.batchTrials);
      const r = await page.client.call('batches', { ...diagnosticOptions(), trials });
      const rows = r.rows.map((x) => [String(x.batchSize), `${x.cosine.mean.toFixed(3)} ± ${x.cosine.std.toFixed(3)}`,
        `${x.relativeError.mean.toFixed(3)} ± ${x.relativeError.std.toFixed(3)}`, x.milliseconds.toPrecision(3), x.costVsFull.toPrecision(3)]);
      $('batches-result').replaceChildren(resultTable(`${count(r.n, 'training row')}; the full gradient took ${r.fullGradientMilliseconds.toPrecision(3)} ms`,
        ['batch size', 'cosine to the full gradient', 'relative error', 'ms a gradient', '× the full gradient\'s cost'], rows));
      setMessage('batches-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
    });
  },
};
