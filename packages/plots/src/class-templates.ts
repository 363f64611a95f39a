import { CONFIG, SCHEMA, type Spec } from './common.js';
import { uniqueNames } from './confusion-matrix.js';

export interface ImageShape {
  readonly height: number;
  readonly width: number;
  /** 1 (grey) or 3 (RGB). */
  readonly channels: number;
  /** 'hwc': channels last (MNIST-like); 'chw': all red, then all green, then all blue (CIFAR-10). */
  readonly layout: 'hwc' | 'chw';
}

export interface ClassTemplatesInput {
  /** D×C row-major (weights[d·C + c]); D = height·width·channels + 1 (the trailing bias row, left out here) or without it. */
  readonly weights: ArrayLike<number>;
  /** C. Default: classNames.length. */
  readonly classes?: number;
  readonly classNames: readonly string[];
  readonly image: ImageShape;
  /**
   * 'per-class' (default): each template is stretched to 0…255 by its own min and max;
   * 'shared': one min and max over all templates (what the CS231n notebooks do), so templates
   * can be compared in strength.
   */
  readonly scale?: 'per-class' | 'shared';
  /** Screen pixels per image pixel (default: 3 for images up to 32 px, fewer for larger). */
  readonly pixelSize?: number;
  /** Templates per row (default: min(C, 5)). */
  readonly columns?: number;
  readonly title?: string;
}

export interface TemplateImages {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Per class, height·width·channels bytes in 'hwc' order (row by row, channels last). */
  readonly pixels: Uint8Array[];
}

/**
 * The class templates as images: column c of W without the bias row, reordered to 'hwc' and
 * rescaled to 0…255 by v ↦ round(255·(v − min)/(max − min)). A constant template (max = min)
 * comes out mid-grey (128). Non-finite weights count as the template's minimum (black).
 */
export function templateImages(input: Pick<ClassTemplatesInput, 'weights' | 'classes' | 'classNames' | 'image' | 'scale'> & {
  /** Build only the first `limit` templates (the others are not drawn: no work for them). */
  readonly limit?: number;
}): TemplateImages {
  const { weights, image } = input;
  const { height: H, width: W, channels: K, layout } = image;
  if (!(K === 1 || K === 3)) throw new RangeError(`class templates need 1 or 3 channels; got ${K}`);
  if (layout !== 'hwc' && layout !== 'chw') throw new RangeError(`image layout must be 'hwc' or 'chw'; got '${String(layout)}'`);
  const C = input.classes ?? input.classNames.length;
  const F = H * W * K;
  if (!(Number.isInteger(C) && C >= 1)) throw new RangeError(`classes must be a positive integer; got ${C}`);
  if (weights.length !== (F + 1) * C && weights.length !== F * C) {
    throw new RangeError(`weights: expected (${H}·${W}·${K} + 1 bias)·${C} = ${(F + 1) * C} values (or ${F * C} without the bias row); got ${weights.length}`);
  }
  // Feature index of (y, x, k) in the flattened image.
  const feature = layout === 'hwc'
    ? (y: number, x: number, k: number) => (y * W + x) * K + k
    : (y: number, x: number, k: number) => k * H * W + y * W + x;
  const range = (c: number): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (let f = 0; f < F; f++) {
      const v = weights[f * C + c]!;
      if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    return [lo, hi];
  };
  let shared: [number, number] | undefined;
  if (input.scale === 'shared') {
    shared = [Infinity, -Infinity];
    for (let c = 0; c < C; c++) { const [lo, hi] = range(c); shared = [Math.min(shared[0], lo), Math.max(shared[1], hi)]; }
  }
  const pixels: Uint8Array[] = [];
  for (let c = 0; c < Math.min(C, input.limit ?? C); c++) {
    const [lo, hi] = shared ?? range(c);
    const out = new Uint8Array(F);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let k = 0; k < K; k++) {
          const v = weights[feature(y, x, k) * C + c]!;
          out[(y * W + x) * K + k] = !(hi > lo) ? 128 : !Number.isFinite(v) ? 0 : Math.round((255 * (v - lo)) / (hi - lo));
        }
      }
    }
    pixels.push(out);
  }
  return { height: H, width: W, channels: K, pixels };
}

/** The most class templates one picture draws (the first ones; the subtitle says how many there are). */
export const TEMPLATES_MAX_CLASSES = 100;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The learned weights of each class drawn as a small image (CS231n's "templates"): grey for
 * one channel, colour for three. One square rect per pixel, filled with its own colour, one
 * panel per class headed by its name.
 */
export function classTemplatesSpec(input: ClassTemplatesInput): Spec {
  // A thousand panels is no picture: the first TEMPLATES_MAX_CLASSES, and the subtitle says so.
  const images = templateImages({ ...input, limit: TEMPLATES_MAX_CLASSES });
  const { height: H, width: W, channels: K, pixels } = images;
  const all = input.classes ?? input.classNames.length;
  const C = pixels.length;
  const names = uniqueNames(input.classNames.length >= C ? input.classNames.slice(0, C) : Array.from({ length: C }, (_, c) => input.classNames[c] ?? `class ${c}`));
  const px = input.pixelSize ?? Math.max(1, Math.min(3, Math.floor(96 / Math.max(H, W))));
  const columns = input.columns ?? Math.min(C, 5);
  const rows: { c: string; ci: number; x: number; y: number; f: string }[] = [];
  for (let c = 0; c < C; c++) {
    const p = pixels[c]!;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const o = (y * W + x) * K;
        const f = K === 1 ? `#${HEX[p[o]!]}${HEX[p[o]!]}${HEX[p[o]!]}` : `#${HEX[p[o]!]}${HEX[p[o + 1]!]}${HEX[p[o + 2]!]}`;
        rows.push({ c: names[c]!, ci: c, x, y, f });
      }
    }
  }
  const noAxis = { axis: null };
  return {
    $schema: SCHEMA,
    config: { ...CONFIG, view: { stroke: null }, facet: { spacing: 14 } },
    title: { text: input.title ?? 'Learned weights of each class (templates)',
      subtitle: `${H}×${W} ${K === 1 ? 'grey' : 'colour'}; each template stretched to black…white by ${input.scale === 'shared' ? 'the min and max over all classes' : 'its own min and max'}; bias left out` +
        (all > C ? `; the first ${C} of ${all} classes` : '') },
    data: { values: rows },
    // Sorted by an index field, not an explicit array of names (one nested expression per class:
    // Vega's stack overflows at about a thousand classes).
    facet: { field: 'c', type: 'nominal', sort: { field: 'ci', op: 'min' }, title: null, header: { labelFontSize: 12, labelPadding: 4 } },
    columns,
    spec: {
      width: W * px,
      height: H * px,
      mark: { type: 'rect', strokeWidth: 0, aria: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: { domain: [0, W], nice: false, zero: false }, ...noAxis },
        x2: { field: 'x1' },
        y: { field: 'y', type: 'quantitative', scale: { domain: [0, H], nice: false, zero: false, reverse: true }, ...noAxis },
        y2: { field: 'y1' },
        fill: { field: 'f', type: 'nominal', scale: null },
      },
    },
    transform: [{ calculate: 'datum.x + 1', as: 'x1' }, { calculate: 'datum.y + 1', as: 'y1' }],
  } as Spec;
}
