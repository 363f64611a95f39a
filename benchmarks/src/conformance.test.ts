import { createTsBackend } from '@descent/backend-ts';
import { describeConformance } from './conformance.js';

describeConformance({ id: 'ts-f64', precision: 'float64', create: async () => createTsBackend('float64') });
describeConformance({ id: 'ts', precision: 'float32', create: async () => createTsBackend('float32') });
