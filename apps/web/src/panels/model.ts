import type { Page, Panel } from '../page/context.js';
import { $, download, errorText, setMessage } from '../page/dom.js';

const NONE = 'No model yet: train one, or open a saved model.json.';

/** Saving the model as the CLI's model.json, and opening one. */
export const modelPanel: Panel = {
  mount(page) {
    $('model-save').addEventListener('click', () => void save(page));
    $<HTMLInputElement>('model-file').addEventListener('change', (ev) => {
      const input = ev.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) void open(page, file);
    });
    const enable = () => {
      $<HTMLButtonElement>('model-save').disabled = page.state.run !== 'idle' || !page.state.snapshot;
      $<HTMLInputElement>('model-file').disabled = page.state.run !== 'idle';
    };
    page.on('run', enable);
    page.on('model', enable);
    page.on('clear', () => {
      $('model-summary').textContent = NONE;
      setMessage('model-message', '');
      enable();
    });
  },
};

async function save(page: Page): Promise<void> {
  setMessage('model-message', '');
  try {
    download('model.json', await page.client.call('saveModel'));
    setMessage('model-message', 'Saved model.json (check your downloads).', 'ok');
  } catch (e) {
    setMessage('model-message', errorText(e));
  }
}

async function open(page: Page, file: File): Promise<void> {
  setMessage('model-message', '');
  try {
    const { snapshot, summary } = await page.client.call('openModel', await file.text(), file.name);
    await page.views();
    page.state.snapshot = snapshot;
    page.emit('model', snapshot);
    $('model-summary').textContent = `Opened ${summary}.`;
    setMessage('model-message', `Opened ${file.name}.`, 'ok');
  } catch (e) {
    setMessage('model-message', `Could not open ${file.name}: ${errorText(e)}${page.state.snapshot ? ' — the current model is unchanged.' : ''}`);
  }
}
