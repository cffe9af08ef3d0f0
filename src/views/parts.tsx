// Step 5 (renderers): small pieces the pages share — dates, teasers, the article figure.
import type { Image, StoredArticle } from '../article'
import { formatDate, rfc3339, textDirection } from '../language'
import type { SiteConfig } from '../site'
import { articlePath } from '../urls'
import type { UiStrings } from './ui'

/** `<time datetime>` with the date as a reader of `language` writes it. */
export function DateTime(props: { iso: string; language: string; site: SiteConfig }) {
  return (
    <time datetime={rfc3339(props.iso)}>
      {formatDate(props.iso, props.language, props.site.timeZone)}
    </time>
  )
}

/**
 * Attributes for text in an article's own language inside a page in another one: `lang`, and
 * `dir` so a Latin title sits left-to-right in an Arabic list (and vice versa), isolated from
 * its neighbours.
 */
export const languageOf = (article: StoredArticle) => ({
  lang: article.language,
  dir: textDirection(article.language),
})

export function Teaser(props: { article: StoredArticle; site: SiteConfig }) {
  const { article, site } = props
  return (
    <li class="teaser" {...languageOf(article)}>
      <h2>
        <a href={articlePath(article.slug)}>{article.title}</a>
      </h2>
      <p>{article.summary}</p>
      <DateTime iso={article.publishedAt} language={article.language} site={site} />
    </li>
  )
}

/** The lead photo with caption and agency credit; without a photo file, caption and credit alone. */
export function Figure(props: { image: Image; ui: UiStrings }) {
  const { image, ui } = props
  return (
    <figure class="figure">
      {image.url ? (
        <img src={image.url} alt={image.alt} width={image.width} height={image.height} />
      ) : (
        <span class="missing-photo" role="img" aria-label={image.alt}>
          {ui.photoUnavailable}
        </span>
      )}
      {image.caption || image.credit ? (
        <figcaption>
          {image.caption}
          {image.caption && image.credit ? ' ' : null}
          {image.credit ? <span class="credit">({image.credit})</span> : null}
        </figcaption>
      ) : null}
    </figure>
  )
}
