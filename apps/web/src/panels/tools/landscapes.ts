import type { Panel } from '../../page/context.js';
import { $, num, setMessage } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';
import { TOOL_CAPS } from '../../protocol.js';

/** A landscape's points and range, within the CLI's caps. */
function landscapeOptions(prefix: 'l1' | 'l2'): { points: number; range: number } {
  const cap = prefix === 'l1' ? TOOL_CAPS.points1D : TOOL_CAPS.points2D;
  return {
    points: num(`${prefix}-points`, `a whole number from 2 to ${cap}`, (v) => Number.isInteger(v) && v >= 2 && v <= cap),
    range: num(`${prefix}-range`, `a number > 0, at most ${TOOL_CAPS.range}`, (v) => v > 0 && v <= TOOL_CAPS.range),
  };
}

/** L(W + a·W₁) along one random direction. */
export const slicePanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="l1-title">1-D loss slice</h3>
    <form class="tool" id="l1-form" aria-labelledby="l1-title" novalidate>
      <span class="f"><label for="l1-points">Points</label> <input id="l1-points" type="number" min="2" step="1" value="51" inputmode="numeric"></span>
      <span class="f"><label for="l1-range">Range ±</label> <input id="l1-range" type="number" min="0" step="any" value="1" inputmode="decimal"></span>
      <span class="f"><label for="l1-examples">Training rows</label> <input id="l1-examples" type="number" min="1" step="1" placeholder="all" inputmode="numeric"></span>
      <button type="submit">Draw slice</button>
    </form>
    <div id="l1-chart" class="chart" role="img" aria-label="Loss along one random direction through W"></div>
    <p id="l1-message" class="message" role="alert"></p>`,
  mount(page) {
    tool(page, 'l1-form', 'l1-message', async (views) => {
      const shape = landscapeOptions('l1');
      const r = await page.client.call('landscape1d', { ...diagnosticOptions('l1-examples'), ...shape });
      await views.drawChart($('l1-chart'), views.landscape1DChart(r));
      setMessage('l1-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
    });
  },
};

/** L(W + a·W₁ + b·W₂) over a plane of two random directions, as a heat map. */
export const landscapePanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="l2-title">2-D loss landscape</h3>
    <form class="tool" id="l2-form" aria-labelledby="l2-title" novalidate>
      <span class="f"><label for="l2-points">Points per axis</label> <input id="l2-points" type="number" min="2" step="1" value="51" inputmode="numeric"></span>
      <span class="f"><label for="l2-range">Range ±</label> <input id="l2-range" type="number" min="0" step="any" value="1" inputmode="decimal"></span>
      <span class="f"><label for="l2-examples">Training rows</label> <input id="l2-examples" type="number" min="1" step="1" value="2000" inputmode="numeric"></span>
      <button type="submit">Draw landscape</button>
    </form>
    <div id="l2-chart" class="chart" role="img" aria-label="Heat map of the loss over a plane through W"></div>
    <p id="l2-message" class="message" role="alert"></p>`,
  mount(page) {
    tool(page, 'l2-form', 'l2-message', async (views) => {
      const shape = landscapeOptions('l2');
      const r = await page.client.call('landscape2d', { ...diagnosticOptions('l2-examples'), ...shape });
      await views.drawChart($('l2-chart'), views.landscape2DChart(r));
      setMessage('l2-message', `${r.at}; ${r.seconds.toFixed(2)} s.`, 'ok');
    });
  },
};
