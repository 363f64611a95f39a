import type { Panel } from '../page/context.js';
import { $ } from '../page/dom.js';

/** Each class's column of W as an image, repainted on the same canvases as the model changes. */
export const templatesPanel: Panel = {
  mount(page) {
    page.on('model', (s) => { if (s) void page.views().then((v) => v.drawTemplates($<HTMLOListElement>('templates'), s)); });
    page.on('clear', () => $('templates').replaceChildren());
  },
};
