import { View, parse, type Spec as VegaSpec } from 'vega';
import { compile } from 'vega-lite';
import type { Spec } from './common.js';
import { useFontMetrics } from './text-metrics.js';

export interface CompileResult {
  /** The Vega specification Vega-Lite compiled to. */
  readonly vega: VegaSpec;
  /** Vega-Lite's warnings (a clean spec has none). */
  readonly warnings: string[];
}

/** Compiles a Vega-Lite spec to Vega, collecting Vega-Lite's warnings instead of printing them. */
export function compileSpec(spec: Spec): CompileResult {
  const warnings: string[] = [];
  const logger = {
    level(): any { return logger; },
    error(...args: unknown[]): any { throw new Error(args.map(String).join(' ')); },
    warn(...args: unknown[]): any { warnings.push(args.map(String).join(' ')); return logger; },
    info(): any { return logger; },
    debug(): any { return logger; },
  };
  const { spec: vega } = compile(spec, { logger });
  return { vega, warnings };
}

export interface RenderOptions {
  /** Multiplies the picture's width and height (default 1). */
  readonly scale?: number;
}

/**
 * Draws a Vega-Lite spec as an SVG document (a string starting with `<svg`). Uses Vega's
 * headless view (`renderer: 'none'`): no canvas, no DOM, no native modules, so it runs the same
 * in Node and in a browser. Without a canvas, text widths come from Helvetica's
 * character widths (see text-metrics.ts) instead of Vega's 0.8 em per character.
 */
export async function renderSvg(spec: Spec, options: RenderOptions = {}): Promise<string> {
  const { vega } = compileSpec(spec);
  useFontMetrics();
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG(options.scale ?? 1);
  } finally {
    view.finalize();
  }
}
