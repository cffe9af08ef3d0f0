// Publish step 9 (photos): what the MEDIA bucket must gain and lose to hold exactly the variants
// the stored articles name (this run's and the live ones carried over), planned against what the
// manifest says it holds — so an unchanged photo is never uploaded again — and what the manifest
// records of it before and after the run. Pure.
import type { StoredArticle } from '../model/article'
import { mediaKeysOf } from '../model/media'
import type { Manifest } from './manifest'
import type { MediaFile, MediaFiles } from './media-articles'
import type { Problem } from './problems'

/**
 * The manifest's record of the bucket: `known` keys are there, `unsure` ones a run was uploading or
 * deleting when it stopped (the next run uploads or deletes them again); `final` is what is there
 * once this run has finished.
 */
export interface MediaRecord {
  known: string[]
  unsure: string[]
  final: string[]
}

export interface MediaPlan {
  /** Uploaded before the KV writes that name them. */
  uploads: MediaFile[]
  /** Deleted after the KV writes that stopped naming them. */
  deletes: string[]
  record: MediaRecord
  /** Keys a carried article names that the bucket may lack and this run has no file for. */
  problems: Problem[]
}

const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort()

/**
 * Each article's bucket keys, found once per article object: a watch session plans every save
 * against the same 10,000 objects, and scanning their bodies was ≈ 15 ms of each save.
 */
const keysOfArticle = new WeakMap<object, string[]>()
export function mediaKeysOnce(article: StoredArticle): string[] {
  let keys = keysOfArticle.get(article)
  if (!keys) keysOfArticle.set(article, (keys = mediaKeysOf(article)))
  return keys
}

/** Tells the plan an article's bucket keys, found before its body was left on disk (load-cache.ts). */
export const knownMediaKeys = (article: object, keys: string[]) => keysOfArticle.set(article, keys)

export function planMedia(
  articles: readonly StoredArticle[],
  manifest: Manifest,
  files: MediaFiles,
): MediaPlan {
  const unsure = new Set(manifest.pending?.media)
  const known = new Set((manifest.media ?? []).filter((key) => !unsure.has(key)))
  const wanted = new Map<string, string>()
  for (const article of articles)
    for (const key of mediaKeysOnce(article)) wanted.set(key, article.slug)

  const uploads: MediaFile[] = []
  const problems: Problem[] = []
  const final: string[] = []
  for (const [key, slug] of wanted) {
    const file = files.get(key)
    if (known.has(key)) final.push(key)
    else if (file) {
      uploads.push(file)
      final.push(key)
    } else {
      problems.push({
        file: slug,
        severity: 'warning',
        message: `${key} may be missing from the MEDIA bucket and its photo file is not part of this run: publish the article's file to upload it`,
      })
    }
  }
  const deletes = sorted([...known, ...unsure].filter((key) => !wanted.has(key)))
  uploads.sort((a, b) => (a.key < b.key ? -1 : 1))
  return {
    uploads,
    deletes,
    problems,
    record: {
      known: sorted(known),
      unsure: sorted([...uploads.map((file) => file.key), ...deletes]),
      final: sorted(final),
    },
  }
}
