// The build-assets CLI: `npm run build:assets` writes the stylesheet pages link into
// public/assets/. Run by `npm run dev`, `npm run deploy`, the browser tests and the screenshots.
import { buildAssets } from '../publish/stylesheet-asset'
import { EXIT, printLine, processIo, runIfMain, type CliIo } from './command'

/** Takes no flags. A failure to write is thrown: node prints it and exits 1. */
export async function main(_args: readonly string[], io: CliIo = processIo()): Promise<number> {
  printLine(io.stdout, `wrote ${await buildAssets()}`)
  return EXIT.ok
}

runIfMain(import.meta.url, main)
