/** For tests: the items of each rendered mark of one type, e.g. marks(svg, 'rect') → [100, 3]. */
export function markCounts(svg: string, type: string): number[] {
  const counts: number[] = [];
  const open = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>`, 'g');
  for (let m = open.exec(svg); m; m = open.exec(svg)) {
    const end = svg.indexOf('</g>', m.index);
    const body = svg.slice(m.index + m[0].length, end);
    counts.push((body.match(/<(path|text|line|rect|circle)\b/g) ?? []).length);
  }
  return counts;
}

/** The path data (d) of the items of every mark of one type, in document order. */
export function markPaths(svg: string, type: string): string[] {
  const paths: string[] = [];
  const open = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>`, 'g');
  for (let m = open.exec(svg); m; m = open.exec(svg)) {
    const body = svg.slice(m.index + m[0].length, svg.indexOf('</g>', m.index));
    for (const f of body.matchAll(/<path\b[^>]*\bd="([^"]+)"/g)) paths.push(f[1]!);
  }
  return paths;
}

/** Fill colours of the items of every mark of one type, in document order. */
export function markFills(svg: string, type: string): string[] {
  const fills: string[] = [];
  const open = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>`, 'g');
  for (let m = open.exec(svg); m; m = open.exec(svg)) {
    const body = svg.slice(m.index + m[0].length, svg.indexOf('</g>', m.index));
    for (const f of body.matchAll(/<path\b[^>]*\bfill="([^"]+)"/g)) fills.push(f[1]!);
  }
  return fills;
}

/** The text of every <text> element (each line of a multi-line one apart), entities decoded. */
export function texts(svg: string): string[] {
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const out: string[] = [];
  for (const m of svg.matchAll(/<text\b[^>]*?(?:\/>|>(.*?)<\/text>)/g)) {
    const body = m[1] ?? '';
    if (body.includes('<tspan')) for (const t of body.matchAll(/<tspan\b[^>]*>([^<]*)<\/tspan>/g)) out.push(decode(t[1]!));
    else out.push(decode(body));
  }
  return out;
}
