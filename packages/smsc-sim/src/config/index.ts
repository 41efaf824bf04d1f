// The configuration room: types, the schema tables, and loading/validation.

export { configJsonSchema, defaultConfig, loadConfigFile, mergeConfig, validateConfig, validateRules } from './load.js';
export { defaultStyle } from './schema.js';
export * from './types.js';
