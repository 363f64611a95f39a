/** The page's side of protocol.ts: typed calls to the worker and its pushed events. */
import type { Methods, MethodName, Reply, WorkerEvent } from './protocol.js';

export class WorkerError extends Error {
  constructor(message: string, readonly kind: string) {
    super(message);
    this.name = kind;
  }
}

export class WorkerClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((e: WorkerEvent) => void)[] = [];

  constructor(private readonly worker: Worker) {
    worker.onmessage = (ev: MessageEvent<Reply | WorkerEvent>) => {
      const m = ev.data;
      if ('event' in m) {
        for (const l of this.listeners) l(m);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new WorkerError(m.error, m.kind ?? 'Error'));
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      const err = new WorkerError(`the training worker failed: ${ev.message || 'unknown error'}`, 'Error');
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  call<M extends MethodName>(method: M, ...args: Methods[M]['args']): Promise<Methods[M]['value']> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  on(listener: (e: WorkerEvent) => void): void {
    this.listeners.push(listener);
  }
}
