/**
 * The current model as a file: saveModel writes it (core's encodeModel), openModel reads one
 * (core's decodeModel), checks it fits the data loaded, makes it the current model and sends
 * its snapshot.
 */
import { DataError, decodeModel, encodeModel, OptionError, type ImageShape } from '@descent/core';
import type { Snapshot } from '../protocol.js';
import { run } from './run-state.js';
import { exclusive, model, placed, preparedForModel, raw, setModel, snapshotOf, type Handlers } from './state.js';

async function openModel(text: string, name: string): Promise<{ snapshot: Snapshot; summary: string }> {
  if (run) throw new OptionError('a run is in progress: stop it before opening a model');
  const m = decodeModel(text, name);
  if (raw) {
    const t = raw.train;
    const shape = (im: ImageShape | undefined, f: number) => (im ? `${im.height}×${im.width}×${im.channels} images` : `${f} features`);
    if (m.preprocessing.features !== t.features || m.classNames.length !== t.classNames.length || (m.image === undefined) !== (t.image === undefined)) {
      throw new DataError(`${name} is a model for ${shape(m.image, m.preprocessing.features)} and ${m.classNames.length} classes, `
        + `but the data set loaded is ${shape(t.image, t.features)} with ${t.classNames.length} classes: open matching data first`);
    }
  }
  // The model must be current to prepare the data its way; if that fails, the one before stays.
  const previous = model, opened = { ...m, origin: `opened ${name}` };
  setModel(opened);
  let snapshot: Snapshot;
  try {
    const session = await placed('ts', await preparedForModel(1));
    snapshot = await snapshotOf(opened, opened.origin, session);
  } catch (e) {
    if (model === opened) setModel(previous);
    throw e;
  }
  const tr = m.training as { settings?: { strategy?: string; backend?: string }; accuracy?: { test?: number } } | undefined;
  const summary = `${name}: ${m.objective.loss}, reg ${m.objective.reg}, ${m.classNames.length} classes`
    + (tr?.settings?.strategy ? `, trained by ${tr.settings.strategy}${tr.settings.backend ? ` on ${tr.settings.backend}` : ''}` : '')
    + (m.createdAt ? `, saved ${m.createdAt}` : '');
  return { snapshot, summary };
}

export const modelHandlers: Pick<Handlers, 'saveModel' | 'openModel'> = {
  async saveModel() {
    if (!model) throw new OptionError('there is no model to save yet: train one (or open one) first');
    return encodeModel(model);
  },

  openModel(text, name) {
    return exclusive(() => openModel(text, name));
  },
};
