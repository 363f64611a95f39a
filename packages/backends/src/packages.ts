/**
 * The one list of backend packages. Every app and suite derives its backends from here: the
 * CLI, the web page's menu, `pnpm bench`, `pnpm bench:agree`, the conformance and browser
 * tests. To add a backend package: import its `backendPackage` from its light `ids` entry
 * below, and add the package to this package's dependencies (package.json). Nothing else.
 */
import type { BackendPackage } from '@descent/core';
import { backendPackage as onnx } from '@descent/backend-onnx/ids';
import { backendPackage as tfjs } from '@descent/backend-tfjs/ids';
import { backendPackage as ts } from '@descent/backend-ts/ids';

export const BACKEND_PACKAGES: readonly BackendPackage[] = [ts, tfjs, onnx];
