/**
 * The page: mounts the panels (panels/index.ts) on a shared context, loads the embedded data
 * and applies a link's settings. Everything heavy (data, backends, training, diagnostics) runs
 * in the worker (worker.ts); drawing code (Vega) loads on demand.
 */
import { WorkerClient } from './client.js';
import { createPage } from './page/context.js';
import { $, errorText, setMessage } from './page/dom.js';
import { showMode } from './page/mode.js';
import { showAuto, syncMenu } from './panels/backends.js';
import { loadEmbedded, showData } from './panels/data.js';
import { PANELS } from './panels/index.js';
import { updateVisibility } from './panels/training.js';
import { applyBackendQuery, applySettingsQuery } from './share.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const page = createPage(new WorkerClient(worker));

// Tool panels and the lecture bring their markup; the others work on what index.html has.
const areas = { tools: $('tools-panels'), lecture: $('lecture-panels') };
for (const panel of PANELS) {
  if (panel.area && panel.html) {
    const section = document.createElement('div');
    section.className = `${panel.area}-panel`;
    section.innerHTML = panel.html;
    areas[panel.area].append(section);
  }
}

addEventListener('hashchange', showMode);
showMode();

// Where the run bar ends on the page, for the views that fill the screen under it (styles.css,
// --top): the header's and the bar's heights (the bar is sticky: its position moves as the page
// scrolls); and the bar's own height (--bar), which what is scrolled to must clear.
const header = document.querySelector<HTMLElement>('header.top')!, bar = $('train-form');
const setTop = () => {
  document.documentElement.style.setProperty('--top', `${Math.ceil(header.offsetHeight + bar.offsetHeight)}px`);
  document.documentElement.style.setProperty('--bar', `${Math.ceil(bar.offsetHeight)}px`);
};
const sizes = new ResizeObserver(setTop);
sizes.observe(header);
sizes.observe(bar);
setTop();
for (const panel of PANELS) panel.mount(page);
// The worker says when the rows in use change (a run or a tool split the data again).
page.client.on((e) => { if (e.event === 'data') showData(page, e.info); });

// For tests and the curious: the page's state, read-only.
(globalThis as { __descent?: unknown }).__descent = { state: page.state };

void (async () => {
  await page.views();
  await loadEmbedded(page);
  // A link's settings, after the data (which sets "Training rows" to its default).
  const link = location.search;
  if (link) {
    const skipped = applySettingsQuery(link);
    updateVisibility();
    if (skipped.length > 0) setMessage('train-message', `The link's ${skipped.join(', ')} could not be applied (unknown, too long, or not offered here).`);
  }
  // ts and auto are selectable at once; any other backend once probing has found it runs here.
  let backendApplied = link ? applyBackendQuery(link) : true;
  syncMenu();
  document.body.dataset['ready'] = 'true';
  // Probing loads each backend's runtime (in the worker), so it starts after the data is in.
  await page.client.call('probe').then((r) => showAuto(r.auto), (e) => { $('probe-status').textContent = `Probing failed: ${errorText(e)}`; });
  if (!backendApplied && new URLSearchParams(link).has('backend')) {
    backendApplied = applyBackendQuery(link);
    syncMenu();
    if (!backendApplied) setMessage('train-message', `The link's backend (${new URLSearchParams(link).get('backend')}) does not run here; choose another.`);
  }
  document.body.dataset['probed'] = 'true';
})();
