// Harness: photos of our own making, drawn as SVG and rendered by sharp — the sample article's
// photo (tools/sample-photo.ts) and the tests' photo files: a sky, a sun, two ridges of hills and
// a label, so a variant's content is visibly the same picture at every size.
import sharp from 'sharp'

export interface DrawnPhoto {
  width: number
  height: number
  /** Large white words across the middle, one per line. */
  label?: readonly string[]
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!,
  )

/** The drawing as SVG, scaled to `width`×`height`. */
function photoSvg({ width, height, label = [] }: DrawnPhoto): string {
  const lines = label
    .map(
      (line, i) =>
        `<text x="1000" y="${640 + i * 230 - (label.length - 1) * 80}" font-family="DejaVu Sans" font-weight="bold" font-size="${i === 0 ? 300 : 160}" fill="#ffffff" text-anchor="middle">${escapeXml(line)}</text>`,
    )
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 2000 1250" preserveAspectRatio="none">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f6c177"/><stop offset="1" stop-color="#eb6f92"/></linearGradient></defs>
<rect width="2000" height="1250" fill="url(#sky)"/>
<circle cx="1500" cy="360" r="190" fill="#fdf6e3"/>
<path d="M0 900 L420 560 L760 820 L1120 480 L1560 860 L2000 640 L2000 1250 L0 1250 Z" fill="#31748f"/>
<path d="M0 1040 L520 820 L980 1000 L1420 800 L2000 1020 L2000 1250 L0 1250 Z" fill="#1f4f5f"/>
${lines}
</svg>`
}

/** The drawing as a JPEG file's bytes. */
export const drawnJpeg = (photo: DrawnPhoto, quality = 85) =>
  sharp(Buffer.from(photoSvg(photo)))
    .jpeg({ quality, mozjpeg: true })
    .toBuffer()
