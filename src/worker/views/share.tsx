// Request step 5 (views): what a page tells the sites it is shared on — OpenGraph and Twitter card
// tags, and for articles a schema.org NewsArticle in JSON-LD (the format search engines read).
import { raw } from 'hono/html'
import { lastModified, type StoredArticle } from '../../model/article'
import { rfc3339 } from '../language'
import type { SiteConfig } from '../../model/site'
import { singlePhoto } from '../../model/picture'
import { absoluteUrl, listPath } from '../../model/urls'

/**
 * OpenGraph wants `language_TERRITORY` (`ar_AR`-style); a bare `ar` or `en` gets its likely
 * territory from CLDR (`ar` → `ar_EG`, `en` → `en_US`).
 */
export function ogLocale(language: string): string {
  try {
    const locale = new Intl.Locale(language).maximize()
    return locale.region ? `${locale.language}_${locale.region}` : locale.language
  } catch {
    return language
  }
}

export interface ShareProps {
  site: SiteConfig
  /** The page's own title, without the site name (sites add their own). */
  title: string
  description: string
  canonical: string
  language: string
  article?: StoredArticle | undefined
}

/** The article's photo as one absolute URL with its size (src/model/picture.ts: the widest JPEG). */
const shared = (site: SiteConfig, article: StoredArticle | undefined) =>
  singlePhoto(article?.image, (path) => absoluteUrl(site, path))

export function ShareTags(props: ShareProps) {
  const { site, article } = props
  const photo = shared(site, article)
  const image = photo && article?.image ? { ...photo, alt: article.image.alt } : undefined
  return (
    <>
      <meta property="og:site_name" content={site.title} />
      <meta property="og:type" content={article ? 'article' : 'website'} />
      <meta property="og:title" content={props.title} />
      <meta property="og:description" content={props.description} />
      <meta property="og:url" content={props.canonical} />
      <meta property="og:locale" content={ogLocale(props.language)} />
      {image ? <meta property="og:image" content={image.url} /> : null}
      {image?.type ? <meta property="og:image:type" content={image.type} /> : null}
      {image ? <meta property="og:image:alt" content={image.alt} /> : null}
      {image?.width ? <meta property="og:image:width" content={String(image.width)} /> : null}
      {image?.height ? <meta property="og:image:height" content={String(image.height)} /> : null}
      {article ? <meta property="article:published_time" content={rfc3339(article.publishedAt)} /> : null}
      {article ? <meta property="article:modified_time" content={rfc3339(lastModified(article))} /> : null}
      {article?.section ? <meta property="article:section" content={article.section} /> : null}
      {article?.tags.map((tag) => <meta property="article:tag" content={tag} />)}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={props.title} />
      <meta name="twitter:description" content={props.description} />
      {image ? <meta name="twitter:image" content={image.url} /> : null}
      {image ? <meta name="twitter:image:alt" content={image.alt} /> : null}
      {article ? <JsonLd data={newsArticle(site, article, props.canonical)} /> : null}
    </>
  )
}

/** schema.org NewsArticle for an article page. The image is left out when there is no photo. */
export function newsArticle(site: SiteConfig, article: StoredArticle, canonical: string) {
  const publisher = { '@type': 'NewsMediaOrganization', name: site.title, url: `${site.url}/` }
  const photo = shared(site, article)
  const image = photo
    ? {
        '@type': 'ImageObject',
        url: photo.url,
        ...(photo.width ? { width: photo.width } : {}),
        ...(photo.height ? { height: photo.height } : {}),
        ...(article.image?.caption ? { caption: article.image.caption } : {}),
      }
    : undefined
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: canonical,
    url: canonical,
    headline: article.title,
    description: article.summary,
    inLanguage: article.language,
    datePublished: rfc3339(article.publishedAt),
    dateModified: rfc3339(lastModified(article)),
    // Without a byline the site itself is the author (the article format's rule).
    author:
      article.authors.length > 0
        ? article.authors.map((author) => ({
            '@type': 'Person',
            name: author.name,
            // The author's page here; their own site, when the article names one, as sameAs.
            url: absoluteUrl(site, listPath({ kind: 'author', name: author.name })),
            ...(author.url ? { sameAs: author.url } : {}),
          }))
        : [publisher],
    publisher,
    ...(image ? { image: [image] } : {}),
    ...(article.section ? { articleSection: article.section } : {}),
    ...(article.tags.length > 0 ? { keywords: article.tags } : {}),
  }
}

/**
 * A JSON-LD data block. Not script to the browser (so the CSP's script-src does not apply), but
 * still parsed as raw text up to `</script`: every `<` is written as \u003c so no value can end it.
 */
export function JsonLd(props: { data: unknown }) {
  const json = JSON.stringify(props.data).replace(/</g, '\\u003c')
  return <script type="application/ld+json">{raw(json)}</script>
}
