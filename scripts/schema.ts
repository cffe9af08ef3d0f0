// The schema CLI: `npm run articles:schema` regenerates schema/article.schema.json from the zod
// schema. Run it after changing src/article.ts; a test fails while the file is stale.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { articleJsonSchema, SCHEMA_FILE } from './json-schema'

await mkdir(dirname(SCHEMA_FILE), { recursive: true })
await writeFile(SCHEMA_FILE, articleJsonSchema())
console.log(`wrote ${SCHEMA_FILE}`)
