export * from './settings.js';
export * from './studies.js';
export * from './session.js';
