import { clearModel, type Page, type Panel } from '../page/context.js';
import { $, errorText, setMessage } from '../page/dom.js';
import type { DataInfo } from '../protocol.js';

const EMBEDDED = 'the embedded Fashion-MNIST subset';

/** The data card: what is loaded, its notes, and opening the embedded set or the user's files. */
export const dataPanel: Panel = {
  mount(page) {
    $('data-embedded').addEventListener('click', () => void loadEmbedded(page));
    $<HTMLInputElement>('data-files').addEventListener('change', async (ev) => {
      const input = ev.target as HTMLInputElement;
      const files = [...(input.files ?? [])];
      input.value = '';
      if (files.length === 0) return;
      const named = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      await load(page, () => page.client.call('loadFiles', named), files.map((f) => f.name).join(', '));
    });
    page.on('run', (s) => {
      for (const id of ['data-embedded', 'data-files']) $<HTMLButtonElement>(id).disabled = s !== 'idle';
    });
  },
};

export function loadEmbedded(page: Page): Promise<void> {
  return load(page, () => page.client.call('loadEmbedded', new URL('data/fashion-mnist-subset/', location.href).href), EMBEDDED);
}

function summary(d: DataInfo): string {
  const { image: im } = d;
  return `${d.name}: ${d.train}${d.train < d.available ? ` (of ${d.available})` : ''} training, `
    + `${d.validation} validation and ${d.test} test ${im ? 'images' : 'rows'}, `
    + `${im ? `${im.height}×${im.width}${im.channels > 1 ? `×${im.channels}` : ''}` : `${d.features} features`}, ${d.classNames.length} classes.`;
}

/** Shows the data set in use (a new one, or the rows in use changed) and tells the views. */
export function showData(page: Page, d: DataInfo): void {
  page.state.data = d;
  $('data-summary').textContent = summary(d);
  $('data-notes').replaceChildren(...d.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  page.emit('data', d);
}

async function load(page: Page, load: () => Promise<DataInfo>, what: string): Promise<void> {
  setMessage('data-message', '');
  $('data-summary').textContent = `Loading ${what}…`;
  const previous = page.state.data;
  try {
    const d = await load();
    await page.views();
    // "Training rows" starts at the data set's default (a limit for a large one), so that the
    // form, the summary and the next run agree.
    $<HTMLInputElement>('limit').value = d.defaultLimit !== undefined ? String(d.defaultLimit) : '';
    // The worker starts afresh on another data set: its model and run are gone.
    clearModel(page);
    showData(page, d);
    setMessage('data-message', `Loaded ${what}.`, 'ok');
  } catch (e) {
    if (previous) showData(page, previous);
    else $('data-summary').textContent = 'No data set loaded.';
    setMessage('data-message', `Could not load ${what}: ${errorText(e)}${previous ? ` — still using ${previous.name}.` : ''}`);
  }
}
