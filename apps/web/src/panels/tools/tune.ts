import type { Panel } from '../../page/context.js';
import { $, resultTable, setMessage, whole } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';
import { count, STUDY_CAPS } from '../../protocol.js';

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

/** core's tune: random trials in log space, coarse to fine, scored on validation (the CLI's descent tune). */
export const tunePanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="tune-title">Tuning: learning rate and regularization</h3>
    <p class="hint">Random trials in log space, scored on the validation rows, each round narrowed around the best (the CLI's <code>descent tune</code>); a best value on the edge of its range is said, since the optimum may lie beyond it. Not while a run trains; no run starts while it tunes.</p>
    <form class="tool" id="tune-form" aria-labelledby="tune-title" novalidate>
      <span class="f"><label for="tune-trials">Trials a round</label> <input id="tune-trials" type="number" min="1" step="1" value="6" inputmode="numeric"></span>
      <span class="f"><label for="tune-rounds">Rounds</label> <input id="tune-rounds" type="number" min="1" step="1" value="2" inputmode="numeric"></span>
      <span class="f"><label for="tune-epochs">Epochs a trial</label> <input id="tune-epochs" type="number" min="1" step="1" value="1" inputmode="numeric"></span>
      <span class="f"><label for="tune-batch">Batch size</label> <input id="tune-batch" type="number" min="1" step="1" value="256" inputmode="numeric"></span>
      <span class="f"><label for="tune-lr">Learning rates</label> <input id="tune-lr" type="text" value="0.0001,1" inputmode="decimal"></span>
      <span class="f"><label for="tune-reg">Regularization</label> <input id="tune-reg" type="text" value="0.000001,0.1" inputmode="decimal"></span>
      <button type="submit">Tune</button>
      <button type="button" id="tune-stop" disabled>Stop tuning</button>
    </form>
    <div id="tune-result"></div>
    <p id="tune-message" class="message" role="alert"></p>`,
  mount(page) {
    // Stop ends the tuning at the trial under way; the best so far is still reported.
    const stop = $<HTMLButtonElement>('tune-stop');
    stop.addEventListener('click', () => { stop.disabled = true; void page.client.call('stop'); });
    // Each trial as it ends (the message is busy until the tuning is done).
    page.client.on((e) => {
      if (e.event === 'tune-trial' && $('tune-message').hasAttribute('aria-busy')) {
        setMessage('tune-message', `Trial ${e.done} of ${e.total}; best validation accuracy so far ${(100 * e.bestValidation).toFixed(1)} %…`, 'ok');
      }
    });
    tool(page, 'tune-form', 'tune-message', async () => {
      const request = { ...diagnosticOptions(), trials: whole('tune-trials', STUDY_CAPS.trials),
        rounds: whole('tune-rounds', STUDY_CAPS.rounds), epochs: whole('tune-epochs', STUDY_CAPS.epochs),
        batchSize: whole('tune-batch', STUDY_CAPS.batchSize), lrRange: range('tune-lr', 'Learning rates'), regRange: range('tune-reg', 'Regularization') };
      stop.disabled = false;
      const r = await page.client.call('tune', request).finally(() => { stop.disabled = true; });
      const b = r.best;
      const summary = document.createElement('p');
      summary.textContent = `Best on validation: learning rate ${b.learningRate.toPrecision(3)}, reg ${b.reg.toPrecision(3)}: `
        + `validation ${(b.validationAccuracy * 100).toFixed(1)} %, test ${(b.testAccuracy * 100).toFixed(1)} %.`;
      const warnings = r.warnings.map((w) => Object.assign(document.createElement('p'), { className: 'warning', textContent: w }));
      const rows = [...r.trials].sort((x, y) => y.validationAccuracy - x.validationAccuracy)
        .map((t) => [String(t.round), t.learningRate.toPrecision(3), t.reg.toPrecision(3), `${(t.validationAccuracy * 100).toFixed(1)} %`, t.finalLoss.toPrecision(4), t.status]);
      $('tune-result').replaceChildren(summary, ...warnings, resultTable(`${r.trials.length} trials, best first`, ['round', 'learning rate', 'reg', 'validation', 'final loss', 'status'], rows));
      const planned = request.rounds * request.trials, done = r.trials.filter((t) => t.status !== 'stopped').length;
      setMessage('tune-message', `${r.settings}; ${r.seconds.toFixed(2)} s${done < planned ? `; stopped after ${count(done, 'trial')} of ${planned}` : ''}.`, 'ok');
    });
  },
};
