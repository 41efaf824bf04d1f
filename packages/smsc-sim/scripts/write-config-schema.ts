// Writes config.schema.json (the JSON Schema of the config file) from the tables in src/config/schema.ts.
//   node --import tsx packages/smsc-sim/scripts/write-config-schema.ts
// test/config-schema.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../src/config/load.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../config.schema.json', import.meta.url));
export const schemaText = (): string => JSON.stringify(configJsonSchema(), null, 2) + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
