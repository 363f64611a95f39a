import type { Page, Views } from './context.js';
import { $, errorText, setMessage } from './dom.js';

/**
 * Wires a tool panel's form: on submit its button is disabled and its message says "Working…"
 * (aria-busy, which tests wait on) until `run` is done; a failure is shown in the message.
 */
export function tool(page: Page, formId: string, messageId: string, run: (views: Views) => Promise<void>): void {
  const form = $<HTMLFormElement>(formId);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button')!;
    button.disabled = true;
    setMessage(messageId, 'Working…', 'ok');
    $(messageId).setAttribute('aria-busy', 'true');
    page.state.busy++;
    try {
      await run(await page.views());
    } catch (e) {
      setMessage(messageId, errorText(e));
    } finally {
      page.state.busy--;
      button.disabled = false;
      $(messageId).removeAttribute('aria-busy');
    }
  });
}
