import type { BackendChoice } from '@descent/core';
import { BROWSER_BACKENDS, menuEntries } from '../backends.js';
import type { Page, Panel } from '../page/context.js';
import { $ } from '../page/dom.js';
import type { ProbeRowMessage } from '../protocol.js';

/**
 * The backend list (each backend with what probing found: runs here, how, or why not) and the
 * run bar's menu. The list's radios are the choice; the menu mirrors them both ways, offering
 * what the list offers.
 */
export const backendsPanel: Panel = {
  mount(page) {
    buildList();
    const menu = $<HTMLSelectElement>('backend-select');
    menu.addEventListener('change', () => {
      const radio = document.getElementById(`backend-${menu.value}`) as HTMLInputElement | null;
      if (radio && !radio.disabled) radio.checked = true;
      syncMenu();
    });
    $('backends').addEventListener('change', syncMenu);
    page.client.on((e) => { if (e.event === 'probe') showProbe(page, e.row); });
    page.on('run', (s) => { menu.disabled = s !== 'idle'; });
    syncMenu();
  },
};

/** 'auto' first (selected, usable at once: it waits for the probes), then every browser backend. */
function buildList(): void {
  const box = $('backends');
  const menu = $<HTMLSelectElement>('backend-select');
  for (const { id, description } of menuEntries()) {
    const row = document.createElement('div');
    row.className = 'backend probing';
    row.id = `backend-row-${id}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'backend';
    input.value = id;
    input.id = `backend-${id}`;
    input.disabled = id !== 'auto' && id !== 'ts';
    input.checked = id === 'auto';
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = id;
    const desc = document.createElement('span');
    desc.className = 'desc';
    desc.id = `backend-desc-${id}`;
    desc.textContent = description;
    const why = document.createElement('span');
    why.className = 'why';
    why.id = `backend-why-${id}`;
    why.textContent = id === 'auto' || id === 'ts' ? 'probing… (selectable now)' : 'probing…';
    input.setAttribute('aria-describedby', `${desc.id} ${why.id}`);
    row.append(input, label, desc, why);
    box.append(row);
    menu.append(new Option(id, id));
  }
}

/** The menu shows the checked radio, and offers only the enabled ones. */
export function syncMenu(): void {
  const menu = document.getElementById('backend-select') as HTMLSelectElement | null;
  if (!menu) return;
  for (const o of menu.options) {
    const radio = document.getElementById(`backend-${o.value}`) as HTMLInputElement | null;
    o.disabled = !radio || radio.disabled;
    if (radio?.checked) menu.value = o.value;
  }
}

/** What 'auto' resolved to here, once every backend has been probed. */
export function showAuto(choice: BackendChoice | null): void {
  $('backend-why-auto').textContent = choice
    ? `picks ${choice.chosen} here${choice.skipped.length > 0 ? ` (passed over ${choice.skipped.map((s) => s.id).join(', ')}: see below)` : ''}`
    : 'no backend runs in this browser';
  $('backend-row-auto').className = `backend ${choice ? 'available' : 'unavailable'}`;
  const auto = [...$<HTMLSelectElement>('backend-select').options].find((o) => o.value === 'auto');
  if (auto) auto.textContent = choice ? `auto (${choice.chosen})` : 'auto';
}

function showProbe(page: Page, r: ProbeRowMessage): void {
  page.state.probes.set(r.id, r);
  const row = document.getElementById(`backend-row-${r.id}`);
  if (!row) return;
  const input = row.querySelector('input')!;
  const why = row.querySelector('.why')!;
  const ok = r.result.available;
  row.className = `backend ${ok ? 'available' : 'unavailable'}`;
  input.disabled = !ok;
  row.querySelector('.desc')!.textContent = r.description;
  why.textContent = r.result.available
    ? `runs here${r.result.softwareFallback ? ` on a software adapter, slowly: ${r.result.softwareFallback}` : r.result.detail ? `: ${r.result.detail}` : ''}`
    : `unavailable: ${r.result.reason}`;
  if (!ok && input.checked) {
    input.checked = false;
    $<HTMLInputElement>('backend-auto').checked = true;
  }
  syncMenu();
  const done = page.state.probes.size;
  $('probe-status').textContent = done < BROWSER_BACKENDS.length
    ? `Probing backends… ${done} of ${BROWSER_BACKENDS.length} done.`
    : `${[...page.state.probes.values()].filter((p) => p.result.available).length} of ${BROWSER_BACKENDS.length} backends run in this browser.`;
}
