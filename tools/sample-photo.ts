// Writes the sample article's photo, articles/media/sample-mountains.jpg: a drawing of our own
// (tools/harness/photos.ts) with «عينة» and "Sample" across it, so the site shows photos out of the
// box and nobody mistakes it for news. Run `npx tsx tools/sample-photo.ts` to make it again.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { drawnJpeg } from './harness/photos'
import { REPO } from './harness/repo-config'

const SAMPLE_PHOTO = join(REPO, 'articles/media/sample-mountains.jpg')

await writeFile(
  SAMPLE_PHOTO,
  await drawnJpeg({ width: 2000, height: 1250, label: ['عينة', 'Sample'] }),
)
console.log(`wrote ${SAMPLE_PHOTO}`)
