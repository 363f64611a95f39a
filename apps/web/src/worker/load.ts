/**
 * What the page does first: probe the backends (its menu), then load a data set, the embedded
 * subset or the user's files (data.ts reads them; state.ts's setRaw makes them the data set).
 */
import { DataError, OptionError } from '@descent/core';
import { BROWSER_BACKENDS } from '../backends.js';
import type { ProbeRowMessage } from '../protocol.js';
import { EMBEDDED_FILES, embeddedData, userData } from './data.js';
import { run } from './run-state.js';
import { exclusive, post, registry, setRaw, type Handlers } from './state.js';

export const loadHandlers: Pick<Handlers, 'probe' | 'loadEmbedded' | 'loadFiles'> = {
  async probe() {
    const rows: ProbeRowMessage[] = [];
    for (const id of BROWSER_BACKENDS) {
      const row = await registry.probe(id);
      const msg = { id: row.id, description: row.description, result: row.result };
      rows.push(msg);
      post({ event: 'probe', row: msg });
    }
    return { rows, auto: (await registry.pick('auto')) ?? null };
  },

  async loadEmbedded(base) {
    const urls = Object.entries(EMBEDDED_FILES).map(([k, f]) => [k, new URL(f, base).href] as const);
    const files = await Promise.all(urls.map(async ([k, url]) => {
      const res = await fetch(url);
      if (!res.ok) throw new DataError(`could not fetch the embedded data set: ${url} answered ${res.status} ${res.statusText}`);
      return [k, new Uint8Array(await res.arrayBuffer())] as const;
    }));
    return exclusive(async () => {
      if (run) throw new OptionError('a run is in progress: stop it before opening another data set');
      return setRaw(embeddedData(Object.fromEntries(files) as Record<keyof typeof EMBEDDED_FILES, Uint8Array>));
    });
  },

  loadFiles(files) {
    return exclusive(async () => {
      if (run) throw new OptionError('a run is in progress: stop it before opening another data set');
      return setRaw(userData(files, 1));
    });
  },
};
