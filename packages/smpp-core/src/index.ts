// Public API of @smppkit/core. The codec exports are added here; the session engine lives in ./session/.
export * from './session/index.js';
