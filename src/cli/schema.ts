// The schema CLI: `npm run articles:schema` regenerates schema/article.schema.json from the zod
// schema. Run it after changing src/model/article-source.ts; a test fails while the file is stale.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { articleJsonSchema, SCHEMA_FILE } from '../publish/article-json-schema'
import { EXIT, printLine, processIo, runIfMain, type CliIo } from './command'

/** Takes no flags. A failure to write is thrown: node prints it and exits 1. */
export async function main(_args: readonly string[], io: CliIo = processIo()): Promise<number> {
  await mkdir(dirname(SCHEMA_FILE), { recursive: true })
  await writeFile(SCHEMA_FILE, articleJsonSchema())
  printLine(io.stdout, `wrote ${SCHEMA_FILE}`)
  return EXIT.ok
}

runIfMain(import.meta.url, main)
