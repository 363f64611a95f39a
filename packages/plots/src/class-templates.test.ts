import { describe, expect, it } from 'vitest';
import { classTemplatesSpec, templateImages, TEMPLATES_MAX_CLASSES } from './class-templates.js';
import { compileSpec, renderSvg } from './render.js';
import { markCounts, markFills, markPaths, texts } from './test-helpers.js';

describe('templateImages', () => {
  it('rescales each class to 0…255 by its own min and max, bias row left out (hand case)', () => {
    // 2×2 grey image, 2 classes; weights D×C row-major with D = 4 + 1 bias.
    const weights = [
      -1, 10, // pixel (0,0)
      0, 20, // pixel (0,1)
      1, 30, // pixel (1,0)
      3, 20, // pixel (1,1)
      99, -99, // bias: must not count
    ];
    const { pixels } = templateImages({ weights, classNames: ['a', 'b'], image: { height: 2, width: 2, channels: 1, layout: 'hwc' } });
    // class a: min −1, max 3 → (w+1)/4·255 = 0, 63.75, 127.5, 255 → rounded
    expect([...pixels[0]!]).toEqual([0, 64, 128, 255]);
    // class b: min 10, max 30 → 0, 127.5, 255, 127.5
    expect([...pixels[1]!]).toEqual([0, 128, 255, 128]);
  });

  it("reorders CIFAR's 'chw' planes to RGB pixels", () => {
    // 1×2 image, 3 channels, 1 class: features R0 R1 G0 G1 B0 B1 (+ bias).
    const weights = [0, 1, 2, 3, 4, 5, 1000];
    const { pixels } = templateImages({ weights, classNames: ['x'], image: { height: 1, width: 2, channels: 3, layout: 'chw' } });
    const s = (v: number) => Math.round((255 * v) / 5);
    expect([...pixels[0]!]).toEqual([s(0), s(2), s(4), s(1), s(3), s(5)]);
  });

  it("'shared' scale uses one min and max; a constant template is mid-grey; a wrong size is refused", () => {
    const weights = [0, 5, 10, 5]; // 2 pixels × 2 classes, no bias row
    const shape = { height: 1, width: 2, channels: 1, layout: 'hwc' as const };
    const shared = templateImages({ weights, classNames: ['a', 'b'], image: shape, scale: 'shared' });
    expect([...shared.pixels[0]!]).toEqual([0, 255]);
    expect([...shared.pixels[1]!]).toEqual([128, 128]);
    const own = templateImages({ weights, classNames: ['a', 'b'], image: shape });
    expect([...own.pixels[1]!]).toEqual([128, 128]);
    expect(() => templateImages({ weights: [1, 2, 3], classNames: ['a', 'b'], image: shape })).toThrow(/expected/);
  });
});

describe('classTemplatesSpec', () => {
  it('a thousand classes: the first 100 panels, and the subtitle says how many there are', async () => {
    const H = 4, W = 4, C = 1000, D = H * W + 1;
    const weights = Float64Array.from({ length: D * C }, (_, i) => Math.cos(i));
    const classNames = Array.from({ length: C }, (_, c) => `n${c}`);
    const spec = classTemplatesSpec({ weights, classNames, image: { height: H, width: W, channels: 1, layout: 'hwc' } });
    const svg = await renderSvg(spec);
    expect(markCounts(svg, 'rect')).toEqual(Array(TEMPLATES_MAX_CLASSES).fill(H * W));
    const t = texts(svg);
    expect(t).toContain('n99');
    expect(t).not.toContain('n100');
    expect(t.join(' ')).toMatch(/the first 100 of 1000 classes/);
  });

  it('draws C×H×W square pixels for CIFAR-like colour templates, one panel per class', async () => {
    const H = 32, W = 32, K = 3, C = 10;
    const D = H * W * K + 1;
    const weights = Float64Array.from({ length: D * C }, (_, i) => Math.sin(i * 0.37));
    const classNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const spec = classTemplatesSpec({ weights, classNames, image: { height: H, width: W, channels: K, layout: 'chw' } });
    expect(compileSpec(spec).warnings).toEqual([]);
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    const panels = markCounts(svg, 'rect');
    expect(panels).toEqual(Array(C).fill(H * W));
    const t = texts(svg);
    for (const name of classNames) expect(t).toContain(name);
    expect(t).toContain('Learned weights of each class (templates)');
    // Square 3-px pixels with no gaps: every path is M x,y h3 v3 h-3 Z on whole-pixel positions.
    const paths = markPaths(svg, 'rect');
    const rects = paths.map((d) => /^M(\d+),(\d+)h(\d+)v(\d+)h-(\d+)Z$/.exec(d)!);
    expect(rects.length).toBe(C * H * W);
    expect(rects.every((r) => r !== null)).toBe(true);
    for (const r of rects.slice(0, 2048)) expect([r[3], r[4]]).toEqual(['3', '3']);
    const firstPanel = new Set(rects.slice(0, H * W).map((r) => `${r[1]},${r[2]}`));
    expect(firstPanel.size).toBe(H * W);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(firstPanel.has(`${3 * x},${3 * y}`)).toBe(true);
    // The colours are the template's pixels: not blank, and equal to templateImages' bytes.
    const fills = markFills(svg, 'rect');
    expect(new Set(fills).size).toBeGreaterThan(100);
    const { pixels } = templateImages({ weights, classNames, image: { height: H, width: W, channels: K, layout: 'chw' } });
    const hex = (b: number) => b.toString(16).padStart(2, '0');
    const p = pixels[0]!;
    expect(fills[0]).toBe(`#${hex(p[0]!)}${hex(p[1]!)}${hex(p[2]!)}`);
    expect(fills[W + 1]).toBe(`#${hex(p[3 * (W + 1)]!)}${hex(p[3 * (W + 1) + 1]!)}${hex(p[3 * (W + 1) + 2]!)}`);
  });

  it('draws grey 28×28 templates', async () => {
    const weights = Float64Array.from({ length: (28 * 28 + 1) * 2 }, (_, i) => (i % 7) - 3);
    const svg = await renderSvg(classTemplatesSpec({ weights, classNames: ['zero', 'one'], image: { height: 28, width: 28, channels: 1, layout: 'hwc' } }));
    expect(markCounts(svg, 'rect')).toEqual([784, 784]);
    for (const f of markFills(svg, 'rect')) expect(f).toMatch(/^#([0-9a-f]{2})\1\1$/);
  });
});
