// Publish step 5 (photos): the photos an article names — its lead photo (`image.url`) and the
// images of its body — from files beside it to variants (media-source.ts, then media-cache.ts in
// front of media-encode.ts), and the stored article pointing at them: `image.variants` for the lead
// photo, a responsive <picture> in place of each body <img>. External photos (http(s) URLs) stay
// as they are. Each problem names the field, or the body, with the line and column of its path.
import { dirname, resolve } from 'node:path'
import type { Image, StoredArticle } from '../model/article'
import { isPhotoUrl, photoPathProblem } from '../model/article-source'
import { mediaKey, MEDIA_PATH } from '../model/media'
import { PHOTO_SIZES, pictureHtml, pictureOf } from '../model/picture'
import type { SiteConfig } from '../model/site'
import { absoluteUrl, articlePath } from '../model/urls'
import type { LoadedArticle } from './load-articles'
import { memoryPhotoStore, type PhotoStore, type ProcessedPhoto } from './media-cache'
import { readPhotoFile, resolvePhotoFile, shownPhotoPath, sniffPhotoFormat } from './media-source'
import type { Problem } from './problems'

/** A variant file this run can upload: its bucket key, type, size and bytes on demand. */
export interface MediaFile {
  key: string
  type: string
  bytes: number
  read(): Promise<Uint8Array>
}
export type MediaFiles = ReadonlyMap<string, MediaFile>

export interface PreparedMedia {
  loaded: LoadedArticle
  problems: Problem[]
  files: Map<string, MediaFile>
  /** Every photo file the article names, found or not (a watch session rereads it when one changes). */
  photoPaths: string[]
}

/** An <img> as the sanitiser writes it: double-quoted attributes, `&"<>` escaped. */
const IMG_TAG = /<img\b[^>]*>/g
const ATTRIBUTE = /\s([a-z-]+)="([^"]*)"/g
const unescapeAttribute = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
const attributesOf = (tag: string) =>
  Object.fromEntries(
    [...tag.matchAll(ATTRIBUTE)].map(([, name, value]) => [name!, unescapeAttribute(value!)]),
  )

/** Neither a URL with a scheme nor a path from the root, a query or a fragment. */
const RELATIVE_PATH = /^(?![a-z][a-z0-9+.-]*:)[^/?#]/i

const decoded = (path: string) => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** What a body image's src is: a photo file to process, a problem, or a URL left as it is. */
type BodySource = { file: string } | { problem: string; text: string } | null

/**
 * The sanitiser resolved every src against the article's URL (render-markdown.ts), so a relative
 * path arrives under the article's folder URL and a path from the site's root under the origin.
 */
function classify(src: string, site: SiteConfig, slug: string): BodySource {
  const folder = new URL('./', absoluteUrl(site, articlePath(slug))).href
  if (src.startsWith(folder)) return { file: decoded(src.slice(folder.length)) }
  const url = new URL(src)
  if (url.origin !== new URL(site.url).origin || MEDIA_PATH.test(url.pathname)) return null
  const path = decoded(url.pathname)
  return { text: path, problem: photoPathProblem(path)! }
}

/** One article with its photos made into variants (a problem per photo that cannot be). */
export async function prepareMedia(
  entry: LoadedArticle,
  site: SiteConfig,
  photos: PhotoStore = memoryPhotoStore(),
): Promise<PreparedMedia> {
  const problems: Problem[] = []
  const files = new Map<string, MediaFile>()
  /** One photo file named twice (lead and body) is read and processed once. */
  const processed = new Map<string, Promise<ProcessedPhoto | string>>()
  const photoPaths = new Set<string>()

  async function process(
    entry: LoadedArticle,
    photoPath: string,
  ): Promise<ProcessedPhoto | string> {
    const shown = shownPhotoPath(entry.file, photoPath)
    photoPaths.add(resolve(dirname(resolve(entry.path)), photoPath))
    const resolved = await resolvePhotoFile(entry.path, photoPath, shown)
    if ('problem' in resolved) return resolved.problem
    let result = processed.get(resolved.path)
    if (!result) {
      result = (async () => {
        const read = await readPhotoFile(resolved.path)
        if ('problem' in read) return read.problem
        const sniffed = sniffPhotoFormat(read.bytes)
        if ('problem' in sniffed) return sniffed.problem
        const photo = await photos.photo(read.bytes, sniffed.format)
        return 'problem' in photo ? photo.problem : photo
      })()
      processed.set(resolved.path, result)
    }
    const photo = await result
    if (typeof photo === 'string') return photo
    for (const variant of photo.variants) {
      const key = mediaKey(variant.path)
      files.set(key, {
        key,
        type: variant.type,
        bytes: variant.bytes,
        read: () => photos.read(key),
      })
    }
    return photo
  }

  async function leadPhoto(entry: LoadedArticle, image: Image): Promise<Image> {
    if (!image.url || isPhotoUrl(image.url)) return image
    const at = { file: entry.file, path: 'image.url', ...entry.locate(['image', 'url']) }
    const photo = await process(entry, image.url)
    if (typeof photo === 'string') {
      problems.push({ ...at, severity: 'error', message: `${image.url} ${photo}` })
      return image
    }
    const widest = photo.variants.at(-1)!
    for (const field of ['width', 'height'] as const) {
      if (image[field] !== undefined)
        problems.push({
          file: entry.file,
          path: `image.${field}`,
          ...entry.locate(['image', field]),
          severity: 'warning',
          message: `is ignored: the publish reads the photo's size from ${image.url} (${photo.width}×${photo.height})`,
        })
    }
    const { url: _url, width: _width, height: _height, ...described } = image
    return { ...described, width: widest.width, height: widest.height, variants: photo.variants }
  }

  async function bodyPhotos(entry: LoadedArticle): Promise<string> {
    const { html, slug } = entry.article
    const articleUrl = absoluteUrl(site, articlePath(slug))
    // The body's images as written, in order, each with its offset (the sanitiser may have dropped
    // some): each rendered <img> is placed at the next one that resolves to its src.
    const written = entry.links.filter((link) => link.tag === 'img')
    let next = 0
    const writtenAs = (src: string) => {
      for (let index = next; index < written.length; index++) {
        let resolved: string | undefined
        try {
          resolved = new URL(written[index]!.url, articleUrl).href
        } catch {
          continue
        }
        if (resolved !== src) continue
        next = index + 1
        return written[index]
      }
      return undefined
    }
    // Located in order first, then processed together.
    const images = [...html.matchAll(IMG_TAG)].map(([tag]) => {
      const attributes = attributesOf(tag)
      if (!attributes.src) return { tag, attributes, source: null, at: undefined }
      const link = writtenAs(attributes.src)
      // A relative path as written (`../x.jpg` too, which resolves out of the article's folder
      // URL) names a file beside the article: media-source.ts says when it leaves the folder.
      const source =
        link && RELATIVE_PATH.test(link.url)
          ? { file: decoded(link.url.split(/[?#]/)[0]!) }
          : classify(attributes.src, site, slug)
      const at = link ? entry.locate(['body', link.offset]) : entry.locate(['body'])
      return { tag, attributes, source, at }
    })
    const replacements = await Promise.all(
      images.map(async ({ tag, attributes, source, at }) => {
        if (source === null) return tag
        const photo = 'file' in source ? await process(entry, source.file) : source.problem
        if (typeof photo === 'string') {
          problems.push({
            file: entry.file,
            path: 'body',
            ...at,
            severity: 'error',
            message: 'file' in source ? `image ${source.file} ${photo}` : `image ${photo}`,
          })
          return tag
        }
        return pictureHtml(
          pictureOf(photo.variants, (path) => absoluteUrl(site, path)),
          {
            alt: attributes.alt ?? '',
            title: attributes.title,
            sizes: PHOTO_SIZES.article,
            lazy: true,
          },
        )
      }),
    )
    let index = 0
    return html.replace(IMG_TAG, () => replacements[index++]!)
  }

  const article: StoredArticle = { ...entry.article }
  if (article.image) article.image = await leadPhoto(entry, article.image)
  if (article.html.includes('<img')) article.html = await bodyPhotos({ ...entry, article })
  return { loaded: { ...entry, article }, problems, files, photoPaths: [...photoPaths] }
}
