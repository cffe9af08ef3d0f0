// `npm start` only (the dev entry, src/dev/index.ts): `/preview/<slug>` shows a draft or scheduled
// article as its page will look, under a banner saying what it is — never indexed (noindex), never
// stored by any cache (no-store, and answered before the edge cache), from the previews the local
// watch session writes (src/publish/previews.ts).
import { StoredPreview, previewKey } from '../model/preview'
import { isSlug } from '../model/formats'
import type { SiteConfig } from '../model/site'
import { absoluteUrl, articlePath } from '../model/urls'
import { CONTENT_TYPE } from '../worker/http'
import { ArticlePage } from '../worker/views/ArticlePage'
import { renderPage } from '../worker/views/document'
import { autodiscoveryLinks } from '../worker/views/feed-links'
import { DateTime } from '../worker/views/parts'

export const PREVIEW_PREFIX = '/preview/'

/** The banner's words; the site language's, or English. */
const BANNER = {
  ar: {
    draft: 'مسودة: معاينة على جهازك فقط. لن تُنشر ما دام فيها draft: true.',
    scheduled: 'مجدول: معاينة على جهازك فقط. سيُنشر في',
  },
  en: {
    draft: 'Draft: a preview on this machine only. It is not published while it has draft: true.',
    scheduled: 'Scheduled: a preview on this machine only. It goes live on',
  },
} as const

function Banner(props: { preview: StoredPreview; site: SiteConfig }) {
  const words = props.site.language.startsWith('ar') ? BANNER.ar : BANNER.en
  const { article, status } = props.preview
  return (
    <p class="notice" role="status" data-preview={status}>
      {status === 'draft' ? (
        words.draft
      ) : (
        <>
          {words.scheduled}{' '}
          <DateTime iso={article.publishedAt} language={props.site.language} site={props.site} />
        </>
      )}
    </p>
  )
}

const noStore = (status: number, body: string, contentType: string) =>
  new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Cache-Control': 'no-store',
      'X-Robots-Tag': 'noindex',
    },
  })

/** The preview page of `pathname` (below PREVIEW_PREFIX), or a 404 when there is none. */
export async function previewResponse(
  pathname: string,
  site: SiteConfig,
  kv: KVNamespace,
): Promise<Response> {
  let slug = ''
  try {
    slug = decodeURIComponent(pathname.slice(PREVIEW_PREFIX.length)).normalize('NFC')
  } catch {
    // Not percent-encoding: no such preview.
  }
  const raw = isSlug(slug) ? await kv.get(previewKey(slug), 'text') : null
  const parsed = raw === null ? undefined : StoredPreview.safeParse(JSON.parse(raw))
  if (!parsed?.success)
    return noStore(404, `No draft or scheduled article "${slug}" to preview.\n`, CONTENT_TYPE.text)
  const preview = parsed.data
  const body = renderPage(
    <ArticlePage
      site={site}
      article={preview.article}
      canonical={absoluteUrl(site, articlePath(slug))}
      feeds={autodiscoveryLinks(site)}
      latest={[]}
      related={[]}
      now={Date.parse(preview.article.publishedAt)}
      notice={<Banner preview={preview} site={site} />}
      robots="noindex, nofollow"
    />,
  )
  return noStore(200, body, CONTENT_TYPE.html)
}
