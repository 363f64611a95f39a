/**
 * Small DOM helpers every panel uses: finding elements, messages, and reading number fields
 * with a message that names the field (a number input whose text is not a number reads as
 * empty to scripts: validity.badInput tells the two apart).
 */

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

export const errorText = (e: unknown): string => (e as Error)?.message ?? String(e);

export function setMessage(id: string, text: string, kind: 'error' | 'ok' | '' = 'error'): void {
  const el = $(id);
  el.textContent = text;
  el.className = `message${text && kind ? ` ${kind}` : ''}`;
}

/** A field's name as the page shows it (its label), for messages. */
export function fieldName(input: HTMLInputElement): string {
  return input.labels?.[0]?.textContent?.trim() || input.getAttribute('aria-label') || input.id;
}

/** A number field's value, or undefined when it is empty. */
export function optionalNum(id: string, want: string): number | undefined {
  const input = $<HTMLInputElement>(id);
  if (input.validity.badInput) throw new Error(`${fieldName(input)} must be ${want}; what is typed there is not a number`);
  const v = input.value.trim();
  if (v === '') return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new Error(`${fieldName(input)} must be ${want}; got “${v}”`);
  return x;
}

/** A number field that must be filled in, checked: a message naming the field when it is empty, not a number, or not `want`. */
export function num(id: string, want = 'a number', ok: (v: number) => boolean = () => true): number {
  const v = optionalNum(id, want);
  if (v === undefined) throw new Error(`${fieldName($<HTMLInputElement>(id))} is empty: it must be ${want}`);
  if (!ok(v)) throw new Error(`${fieldName($<HTMLInputElement>(id))} must be ${want}; got “${v}”`);
  return v;
}

/** An optional field, checked when filled in. */
export function optional(id: string, want: string, ok: (v: number) => boolean): number | undefined {
  const v = optionalNum(id, want);
  if (v !== undefined && !ok(v)) throw new Error(`${fieldName($<HTMLInputElement>(id))} must be ${want}; got “${v}”`);
  return v;
}

/** A whole number from 1 to cap, checked. */
export const whole = (id: string, cap: number): number =>
  num(id, `a whole number from 1 to ${cap}`, (v) => Number.isInteger(v) && v >= 1 && v <= cap);

/**
 * A setting whose field is hidden because it does not apply (SVM margin with softmax, momentum
 * with plain SGD, …): read when it holds a number, else left to core's default.
 */
export function setting(id: string, want = 'a number', ok: (v: number) => boolean = () => true): number | undefined {
  if ($(id).closest('[hidden]')) {
    try { return optional(id, want, ok); } catch { return undefined; }
  }
  return num(id, want, ok);
}

export const isWhole = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** A table of rows under a caption, in a scrolling wrapper. */
export function resultTable(caption: string, headings: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const table = document.createElement('table');
  table.className = 'gc';
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const h of headings) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of row) tr.insertCell().textContent = v;
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  return wrap;
}

/** Saves text as a file through the browser's downloads. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
