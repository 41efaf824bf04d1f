// The configuration room: types, the schema tables, and loading/validation.
export * from './types.js';
export { defaultConfig, loadConfigFile, validateConfig, validateRules, mergeConfig, configJsonSchema } from './load.js';
export { defaultStyle } from './schema.js';
