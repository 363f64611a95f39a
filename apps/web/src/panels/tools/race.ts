import type { Panel } from '../../page/context.js';
import { $, errorText, num, setMessage } from '../../page/dom.js';
import { diagnosticOptions } from '../../page/form.js';
import { tool } from '../../page/tool.js';
import { RACE_CAPS } from '../../protocol.js';

/** The race's step size: the slider is its log10. */
const raceLr = () => Number((10 ** Number($<HTMLInputElement>('race-lr').value)).toPrecision(3));

/** Every update rule on the plane W₀ + a·V₁ + b·V₂ of the real loss, side by side; sliders restart it at once. */
export const racePanel: Panel = {
  area: 'tools',
  html: `
    <h3 id="race-title">The optimizer race</h3>
    <p class="hint">Every update rule from the same start W₀ on the real training loss, restricted to the plane W₀ + a·V₁ + b·V₂: V₁ toward the current weights when there is a model (a = 1 reaches them), else random; V₂ random. Each step is taken on the plane's exact loss and gradient. Moving a slider restarts the race at once.</p>
    <form class="tool" id="race-form" aria-labelledby="race-title" novalidate>
      <span class="f"><label for="race-lr">Step size</label> <input id="race-lr" type="range" min="-4" max="0" step="any" value="-1.30103" aria-valuetext="0.05"> <output id="race-lr-value" for="race-lr">0.05</output></span>
      <span class="f"><label for="race-momentum">Momentum μ</label> <input id="race-momentum" type="range" min="0" max="0.99" step="0.01" value="0.9"> <output id="race-momentum-value" for="race-momentum">0.9</output></span>
      <span class="f"><label for="race-toward">V₁</label> <select id="race-toward"><option value="toward">toward the current weights</option><option value="random">random</option></select></span>
      <span class="f"><label for="race-steps">Steps</label> <input id="race-steps" type="number" min="1" step="1" value="60" inputmode="numeric"></span>
      <span class="f"><label for="race-examples">Training rows</label> <input id="race-examples" type="number" min="1" step="1" value="1000" inputmode="numeric"></span>
      <button type="submit">Race</button>
    </form>
    <div id="race-chart" class="chart" role="img" aria-label="Each optimizer's path over the loss of a plane, and its loss per step"></div>
    <p id="race-message" class="message" role="status"></p>`,
  mount(page) {
    let generation = 0;
    /** Runs the race and draws it: played step by step when `play` (the Race button), at its end at once (a slider). */
    const race = async (play = false): Promise<void> => {
      const mine = ++generation;
      const views = await page.views();
      const steps = num('race-steps', `a whole number from 1 to ${RACE_CAPS.steps}`, (v) => Number.isInteger(v) && v >= 1 && v <= RACE_CAPS.steps);
      const r = await page.client.call('race', { ...diagnosticOptions('race-examples'), learningRate: raceLr(),
        momentum: Number($<HTMLInputElement>('race-momentum').value), steps, toward: $<HTMLSelectElement>('race-toward').value === 'toward' });
      await views.drawChart($('race-chart'), views.raceChart(r));
      if (play) await views.animateRace($('race-chart'), steps);
      if (mine !== generation) return; // a newer race (a slider moved) has drawn and will say its own
      const ends = r.paths.map((p) => `${p.optimizer} ${p.losses[p.losses.length - 1]!.toFixed(3)}${p.diverged ? ' (diverged)' : ''}`).join(', ');
      setMessage('race-message', `${r.at}; from ${r.paths[0]?.losses[0]?.toFixed(3)} to ${ends}; ${r.seconds.toFixed(2)} s.`, 'ok');
    };
    tool(page, 'race-form', 'race-message', () => race(true));
    slidersRestart(race);
  },
};

/**
 * A slider restarts the race at once (the plane is kept in the worker; only the paths are
 * recomputed), at most one race at a time: moves made meanwhile give one more race, with the
 * latest values.
 */
function slidersRestart(race: () => Promise<void>): void {
  let racing = false, again = false;
  for (const id of ['race-lr', 'race-momentum'] as const) {
    $<HTMLInputElement>(id).addEventListener('input', async () => {
      const shown = id === 'race-lr' ? String(raceLr()) : $<HTMLInputElement>(id).value;
      $(`${id}-value`).textContent = shown;
      $(id).setAttribute('aria-valuetext', shown);
      if (racing) { again = true; return; }
      racing = true;
      try {
        do {
          again = false;
          await race().catch((e: unknown) => setMessage('race-message', errorText(e)));
        } while (again);
      } finally {
        racing = false;
      }
    });
  }
}

