import { join } from 'node:path';
import type { ImageShape } from '@descent/core';
import { writeFileAtomic } from '@descent/core/node';
import { writing } from './outputs.js';
import {
  classTemplatesSpec, confusionMatrixSpec, landscape1DSpec, landscape2DSpec, lossCurveSpec, renderSvg,
  stepSizeSweepSpec, type Spec,
} from '@descent/plots';

/** What a command can draw; each present part becomes one SVG file. */
export interface PictureParts {
  loss?: { losses: Float64Array; evaluations: readonly { iteration: number; trainAccuracy: number; validationAccuracy?: number }[] };
  templates?: { weights: Float64Array; classNames: readonly string[]; image: ImageShape };
  confusion?: { counts: Int32Array; classNames: readonly string[] };
  sweep?: { rows: readonly { size: number; loss: number }[]; initialLoss: number; best: { size: number; loss: number } };
  landscape1d?: { alphas: Float64Array; losses: Float64Array };
  landscape2d?: { alphas: Float64Array; betas: Float64Array; losses: Float64Array };
}

/** Render each part with Vega-Lite (the web page draws the same specs) and write SVG files. */
export async function writePictures(dir: string, parts: PictureParts): Promise<string[]> {
  const specs: [string, Spec][] = [];
  if (parts.loss) specs.push(['loss.svg', lossCurveSpec({ losses: parts.loss.losses, evaluations: parts.loss.evaluations })]);
  if (parts.templates) {
    specs.push(['templates.svg', classTemplatesSpec({ weights: parts.templates.weights, classes: parts.templates.classNames.length,
      classNames: parts.templates.classNames, image: parts.templates.image })]);
  }
  if (parts.confusion) specs.push(['confusion.svg', confusionMatrixSpec(parts.confusion)]);
  if (parts.sweep) specs.push(['sweep.svg', stepSizeSweepSpec(parts.sweep)]);
  if (parts.landscape1d) specs.push(['landscape-1d.svg', landscape1DSpec(parts.landscape1d)]);
  if (parts.landscape2d) specs.push(['landscape-2d.svg', landscape2DSpec(parts.landscape2d)]);
  const written: string[] = [];
  for (const [name, spec] of specs) {
    const path = join(dir, name);
    await writing(path, async () => writeFileAtomic(path, await renderSvg(spec)));
    written.push(path);
  }
  return written;
}
