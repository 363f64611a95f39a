// The few web-standard globals that @descent/core's main entry uses. Node (>= 18) and every
// browser provide them at run time, but their TypeScript declarations live in lib.dom.d.ts
// and in @types/node. Core's main entry is type-checked with `lib: ["ES2022"]` and
// `types: []` (tsconfig.json), so that it cannot start to depend on anything only a browser
// or only Node has; these minimal shapes are what that check sees instead.
//
// This file is for that check alone. It is not part of the declaration build (which compiles
// with @types/node, see tsconfig.node.json and scripts/build-lib.mjs) nor of any program that
// has DOM or Node types (the apps, the Node-entry check, the tests), and it is not shipped, so
// a consumer never sees a second declaration of these globals. The published declarations
// still name `AbortSignal` (StrategyOptions.signal): a consumer needs the DOM lib or
// @types/node, as for any library that accepts an AbortSignal.
//
// Keep it small: add a member here only when core's source starts to use it.

declare var performance: { now(): number };

declare function setTimeout(callback: () => void, ms?: number): unknown;

declare function clearTimeout(id: unknown): void;

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBufferLike, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
