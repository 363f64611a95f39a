/**
 * A run's settings in the page's address: after every run the URL holds the form's settings
 * and the backend that ran (the resolved id, never 'auto'), so a link reproduces the run, seed
 * included (on the embedded data, or on the same files opened). The URL is the user's input:
 * only these fields are read, a menu takes only a value it offers, and every value goes through
 * the form's own checks when a run starts.
 */

/** The form fields a link carries, by element id (the slow-motion pace and "resume" are not part of a run's result). */
export const SHARED_FIELDS = ['loss', 'reg', 'delta', 'strategy', 'optimizer', 'lr', 'momentum', 'schedule', 'step-every', 'step-factor',
  'decay', 'batch-size', 'sampler', 'length', 'length-unit', 'seed', 'init-scale', 'search-scale', 'search-step', 'validation', 'limit'] as const;

/** The longest value read from a link (a number or a menu value is far shorter). */
const MAX_VALUE_LENGTH = 64;

/** The query string of the form's settings and the backend that ran (empty fields included: empty means the default, e.g. all rows). */
export function settingsQuery(backend: string): string {
  const q = new URLSearchParams();
  q.set('backend', backend);
  for (const id of SHARED_FIELDS) {
    const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
    if (el) q.set(id, el.value);
  }
  return q.toString();
}

/**
 * Selects the link's backend when it can run here (a backend's radio is enabled once probed:
 * call again after probing); false when the link names none, or one that is not available.
 */
export function applyBackendQuery(search: string): boolean {
  const id = new URLSearchParams(search).get('backend');
  if (id === null || id.length > MAX_VALUE_LENGTH) return false;
  const radio = document.getElementById(`backend-${id}`);
  if (!(radio instanceof HTMLInputElement && radio.name === 'backend' && !radio.disabled)) return false;
  radio.checked = true;
  return true;
}

/** Puts a link's settings (not its backend: applyBackendQuery) into the form; returns the names it could not apply (unknown, too long, or not on offer). */
export function applySettingsQuery(search: string): string[] {
  const skipped: string[] = [];
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === 'backend') continue;
    if (value.length > MAX_VALUE_LENGTH) { skipped.push(key); continue; }
    if (!(SHARED_FIELDS as readonly string[]).includes(key)) { skipped.push(key); continue; }
    const el = document.getElementById(key);
    if (el instanceof HTMLSelectElement) {
      if ([...el.options].some((o) => o.value === value)) el.value = value;
      else skipped.push(key);
    } else if (el instanceof HTMLInputElement) el.value = value;
  }
  return skipped;
}
