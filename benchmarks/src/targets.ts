/**
 * Every backend the suites check, derived from @descent/backends' catalogue (the one list of
 * backend packages): the Node backends that probe available here, and one Chromium page run
 * per backend package with browser backends. Adding a backend package to the catalogue adds
 * it to `pnpm bench` and `pnpm bench:agree` (the conformance kit on every backend, in Node and
 * in Chromium, run by `pnpm test`).
 */
import { BACKEND_PACKAGES, catalogue } from '@descent/backends';
import type { BackendPackage } from '@descent/core';
import { packageTargets, type ConformanceTarget } from '@descent/core/testing';

export interface NodeTargets {
  /** Backends that run here, in catalogue order. */
  readonly run: ConformanceTarget[];
  /** Node backends that do not run here, with their probe's reason (reported, never silent). */
  readonly skipped: { readonly id: string; readonly reason: string }[];
}

/** The catalogue's Node backends, probed (the kit's packageTargets): those that run here become conformance targets. */
export async function nodeTargets(packages: readonly BackendPackage[] = BACKEND_PACKAGES): Promise<NodeTargets> {
  const { run, skipped } = await packageTargets(packages, { environment: 'node' });
  // Browser-only backends are not "skipped here": they were never Node backends.
  const node = new Set(benchBackendIds(packages));
  return { run: [...run], skipped: skipped.filter((s) => node.has(s.id)) };
}

/** The backends `pnpm bench` measures: every Node backend of the catalogue, 'ts' (the baseline) first. */
export function benchBackendIds(packages: readonly BackendPackage[] = BACKEND_PACKAGES): string[] {
  return catalogue('node', packages).map((b) => b.id).sort((a, b) => Number(b === 'ts') - Number(a === 'ts'));
}

export interface PageGroup {
  /** The backend package, for messages. */
  readonly name: string;
  readonly backends: readonly string[];
}

/** One Chromium page run per backend package that has browser backends. */
export function pageGroups(packages: readonly BackendPackage[] = BACKEND_PACKAGES): PageGroup[] {
  return packages.map((p) => ({ name: p.name, backends: p.backends.filter((b) => b.environments.includes('browser')).map((b) => b.id) }))
    .filter((g) => g.backends.length > 0);
}
