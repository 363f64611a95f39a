import * as vega from 'vega';

/**
 * Text widths for the headless renderer. Without a canvas Vega guesses 0.8 em for every
 * character, which makes labels look far wider than they are: legends get cut short with "…"
 * and pictures get wide empty margins. Vega lets a user-defined `textMetrics.width` take over
 * (vl-convert does the same); this one sums the Helvetica/Arial advance widths of the
 * characters (Adobe's core-font metrics, 1/1000 em), bold a little wider.
 */

// Advance widths of ASCII 32…126 in Helvetica, 1/1000 em.
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
];
const OTHER: Record<string, number> = {
  '…': 1000, '—': 1000, '–': 556, '×': 584, '·': 278, '≤': 584, '≥': 584, '→': 1000, '−': 584,
  '₁': 370, '₂': 370, 'β': 570, 'α': 580, '°': 400, '%': 889, '\u00a0': 278,
};

/** Width in pixels of `text` at `fontSize` px in Helvetica/Arial. */
export function helveticaWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? ASCII[code - 32]! : OTHER[ch] ?? 600;
  }
  return (units * fontSize * (bold ? 1.07 : 1)) / 1000;
}

interface TextItem { fontSize?: number | string; fontWeight?: string | number; limit?: number }
interface TextMetrics { width: (item: TextItem, text: unknown) => number; estimateWidth: unknown; measureWidth: unknown }

function width(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && +weight >= 600);
  const w = helveticaWidth(s, size, bold);
  // Vega truncates text longer than `limit` and finds the cut by asking for widths again.
  return item.limit != null && item.limit > 0 ? Math.min(w, item.limit) : w;
}

/** Replaces Vega's crude estimate when (and only when) no canvas is measuring text. */
export function useFontMetrics(): void {
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (metrics && metrics.width === metrics.estimateWidth) metrics.width = width;
}
