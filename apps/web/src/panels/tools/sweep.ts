import type { Panel } from '../../page/context.js';
import { $, setMessage } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';

/** The learning-rate sweep: the loss after one gradient step, for step sizes over decades. */
export const sweepPanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="sweep-title">Step-size sweep</h3>
    <form class="tool" id="sweep-form" aria-labelledby="sweep-title" novalidate>
      <span class="f"><label for="sweep-examples">Training rows</label> <input id="sweep-examples" type="number" min="1" step="1" placeholder="all" inputmode="numeric"></span>
      <button type="submit">Run sweep</button>
    </form>
    <div id="sweep-chart" class="chart" role="img" aria-label="Loss after one gradient step against the step size"></div>
    <p id="sweep-message" class="message" role="alert"></p>`,
  mount(page) {
    tool(page, 'sweep-form', 'sweep-message', async (views) => {
      const r = await page.client.call('sweep', diagnosticOptions('sweep-examples'));
      await views.drawChart($('sweep-chart'), views.sweepChart(r));
      setMessage('sweep-message', `${r.at}; ‖∇L‖ = ${r.gradientNorm.toPrecision(4)}; ${r.seconds.toFixed(2)} s.`, 'ok');
    });
  },
};
