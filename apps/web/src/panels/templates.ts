import type { Panel } from '../page/context.js';
import { $ } from '../page/dom.js';

/**
 * Each class's column of W as an image, repainted on the same canvases as the model changes;
 * saved as one picture (SVG or PNG) as the CLI draws it.
 */
export const templatesPanel: Panel = {
  mount(page) {
    const bar = $('templates-export');
    for (const button of bar.querySelectorAll<HTMLButtonElement>('button')) {
      button.addEventListener('click', () => {
        const s = page.state.snapshot;
        if (s) void page.views().then((v) => v.saveTemplates(s, button.dataset['format'] as 'svg' | 'png'));
      });
    }
    page.on('model', (s) => {
      bar.hidden = !s?.image;
      if (s) void page.views().then((v) => v.drawTemplates($<HTMLOListElement>('templates'), s));
    });
    page.on('clear', () => {
      bar.hidden = true;
      $('templates').replaceChildren();
    });
  },
};
