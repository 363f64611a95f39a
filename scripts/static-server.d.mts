import type { Server } from 'node:http';

/** Content types by file extension (lower case, with the dot). */
export declare const TYPES: Readonly<Record<string, string>>;

export interface StaticServerOptions {
  /** URL prefix (starting and ending with '/') → directory served under it; the longest prefix wins. */
  readonly mounts?: Readonly<Record<string, string>>;
  /** Exact path → in-memory answer, matched before the mounts. */
  readonly files?: Readonly<Record<string, { readonly type: string; readonly body: string | Uint8Array }>>;
  /** File served for a path ending in '/' inside a mount (default 'index.html'; null: 404). */
  readonly index?: string | null;
  /** Extra headers on every answer. */
  readonly headers?: Readonly<Record<string, string>>;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** A loopback address: 127.0.0.1 (default), localhost or ::1. */
  readonly host?: string;
}

export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export declare function startStaticServer(options?: StaticServerOptions): Promise<StaticServer>;
