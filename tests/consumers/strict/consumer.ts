// A strict TypeScript consumer of the published packages (strict, noUncheckedIndexedAccess,
// exactOptionalPropertyTypes, module/moduleResolution nodenext, skipLibCheck off). It is only
// type-checked (`pnpm test:consumers`, against the packed tarballs installed with npm): every
// line must compile, and every @ts-expect-error must be an error, so the public types are
// neither missing nor `any`.
import { catalogue, createRegistry } from '@descent/backends';
import { copyBackendAssets, type CopiedAssets } from '@descent/backends/node';
import { backendPackage as tsBackends } from '@descent/backend-ts/ids';
import {
  accuracy, describeChoice, makeObjective, predictImage, prepareSplits, train,
  type BackendChoice, type BackendInfo, type Model, type Prediction, type ProbeRow, type TrainResult,
} from '@descent/core';
import { embeddedDataPath, loadDataset, saveModel, type LoadedDataset } from '@descent/core/node';

export const nodeBackends: readonly BackendInfo[] = catalogue('node');
// noUncheckedIndexedAccess: an element of a list may be missing.
export const firstId: string = nodeBackends[0]?.id ?? tsBackends.name;

export async function trainAndSave(spec: string, path: string): Promise<{ choice: BackendChoice; result: TrainResult; test: number }> {
  const data: LoadedDataset = await loadDataset('embedded');
  const splits = prepareSplits(data.train, data.test, { seed: 1, validation: 0.1, limit: 2000 });
  const registry = createRegistry();
  const rows: ProbeRow[] = await registry.probeAll();
  const unavailable = rows.filter((r) => !r.result.available).map((r) => (r.result.available ? '' : `${r.id}: ${r.result.reason}`));
  const { backend, choice } = await registry.resolve(spec);
  console.log(describeChoice(choice), unavailable.length, embeddedDataPath());
  try {
    const placed = await backend.place(splits.train);
    const result = await train({
      backend, train: placed, objective: makeObjective({ loss: 'svm', reg: 1e-3 }), strategy: 'minibatch', seed: 1, epochs: 1,
      onProgress: (e) => { if (e.trainAccuracy !== undefined) console.log(e.iteration, e.loss, e.trainAccuracy.toFixed(3)); },
    });
    const model: Model = {
      classNames: data.train.classNames, image: data.train.image, preprocessing: splits.preprocessing,
      weights: result.weights, objective: makeObjective({ loss: 'svm', reg: 1e-3 }),
    };
    await saveModel(path, model);
    return { choice, result, test: await accuracy(backend, result.weights, await backend.place(splits.test)) };
  } finally {
    await backend.dispose();
  }
}

export function classify(model: Model, pixels: Uint8Array): { name: string; probability: number } {
  const p: Prediction = predictImage(model, pixels);
  // classNames[label] is string | undefined under noUncheckedIndexedAccess.
  return { name: model.classNames[p.label] ?? `class ${p.label}`, probability: p.probabilities[p.label] ?? 0 };
}

export async function assets(outdir: string): Promise<number> {
  const copied: CopiedAssets = await copyBackendAssets(outdir);
  return Object.values(copied.dirs).flat().length;
}

// The types are precise: each of these must be a type error.
// @ts-expect-error 'newton' is not a strategy
export const badStrategy: Parameters<typeof train>[0]['strategy'] = 'newton';
// @ts-expect-error 'hinge' is not a loss
makeObjective({ loss: 'hinge', reg: 0 });
// @ts-expect-error a backend choice's chosen id is a string
export const badChoice: BackendChoice = { requested: 'auto', chosen: 1, skipped: [] };
// @ts-expect-error classNames are read-only
export const mutate = (m: Model): number => m.classNames.push('extra');
