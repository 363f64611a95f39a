import { $ } from './dom.js';

/**
 * Two views of one page, by the address's #: the playground (the run bar's views, settings and
 * tools) and the lecture. Called on every hashchange, and at once by whoever changes the hash and
 * then scrolls (hashchange comes later, and a hidden element cannot be scrolled to).
 */
export function showMode(): void {
  const lecture = location.hash === '#lecture';
  $('lecture').hidden = !lecture;
  for (const el of document.querySelectorAll<HTMLElement>('[data-view=playground]')) el.hidden = lecture;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.modes a')) {
    if (a.hash === (lecture ? '#lecture' : '#playground')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.body.dataset['mode'] = lecture ? 'lecture' : 'playground';
}
