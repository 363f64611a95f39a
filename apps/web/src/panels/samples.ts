import type { Page, Panel } from '../page/context.js';
import { $ } from '../page/dom.js';
import type { Snapshot } from '../protocol.js';

const HINT = 'Sample images from the test split; once there is a model, each shows what it predicts.';

/**
 * Sample test images and what the model predicts for each. The images are drawn once per data
 * set; a new model (every few hundred milliseconds during a run) only rewrites the prediction
 * lines, so a run does not repaint the pictures.
 */
export const samplesPanel: Panel = {
  mount(page) {
    page.on('data', () => void drawImages(page));
    page.on('model', (s) => showPredictions(page, s));
    page.on('clear', () => showPredictions(page, undefined));
  },
};

async function drawImages(page: Page): Promise<void> {
  const views = await page.views();
  const d = page.state.data;
  if (!d) return;
  const list = $<HTMLOListElement>('samples');
  list.replaceChildren(...d.samples.map((s) => {
    const li = document.createElement('li');
    li.dataset['index'] = String(s.index);
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `test image ${s.index}: ${d.classNames[s.label]}`);
    views.paintImage(canvas, s.pixels, d.image!); // samples are images only
    const truth = document.createElement('span');
    truth.className = 'truth';
    truth.textContent = d.classNames[s.label] ?? String(s.label);
    li.append(canvas, truth);
    return li;
  }));
  showPredictions(page, page.state.snapshot);
}

function showPredictions(page: Page, snapshot: Snapshot | undefined): void {
  const preds = new Map((snapshot?.predictions ?? []).map((p) => [p.index, p]));
  const names = snapshot?.classNames ?? page.state.data?.classNames ?? [];
  for (const li of $<HTMLOListElement>('samples').children as HTMLCollectionOf<HTMLLIElement>) {
    const p = preds.get(Number(li.dataset['index']));
    let pred = li.querySelector<HTMLElement>('.pred'), prob = li.querySelector<HTMLElement>('.prob');
    if (!p) { pred?.remove(); prob?.remove(); continue; }
    if (!pred || !prob) {
      pred = document.createElement('span');
      prob = Object.assign(document.createElement('span'), { className: 'prob' });
      li.append(pred, prob);
    }
    pred.className = `pred ${p.predicted === p.label ? 'right' : 'wrong'}`;
    pred.textContent = `${p.predicted === p.label ? '✓' : '✗'} ${names[p.predicted] ?? p.predicted}`;
    pred.dataset['predicted'] = String(p.predicted);
    pred.dataset['probability'] = p.probability.toPrecision(6);
    prob.textContent = `${(100 * p.probability).toFixed(0)} %`;
  }
  $('samples-hint').textContent = snapshot
    ? `Predictions of the current model (${snapshot.origin}) on sample test images; ✓ right, ✗ wrong, with the softmax probability of the predicted class.`
    : HINT;
}
