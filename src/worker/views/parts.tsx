// Request step 5 (views): small pieces the pages share — dates, names, teasers, the article figure.
import type { Child } from 'hono/jsx'
import type { Author, Image, StoredArticle } from '../../model/article'
import type { Teaser as TeaserData } from '../../model/list-layout'
import { conjunctionFormat, formatDate, rfc3339, textDirection } from '../language'
import type { SiteConfig } from '../../model/site'
import { articlePath, listPath } from '../../model/urls'
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
export const languageOf = (article: Pick<StoredArticle, 'language'>) => ({
  lang: article.language,
  dir: textDirection(article.language),
})

/**
 * Names joined as `language` joins them («أ وب»,"A, B and C"), each in <bdi>: a Latin name in
 * Arabic text (or the reverse) must not pull the commas and the conjunction out of order.
 */
export function NameList(props: { names: readonly Child[]; language: string }) {
  const format = conjunctionFormat(props.language)
  const placeholders = props.names.map((_, i) => String(i))
  return (
    <>
      {format
        .formatToParts(placeholders)
        .map((part) => (part.type === 'element' ? <bdi>{props.names[Number(part.value)]}</bdi> : part.value))}
    </>
  )
}

/** The byline's names, each a link to the author's page (their articles and feeds). */
export function Authors(props: { authors: readonly Author[]; language: string }) {
  const names = props.authors.map((author) => (
    <a href={listPath({ kind: 'author', name: author.name })} rel="author">
      {author.name}
    </a>
  ))
  return <NameList names={names} language={props.language} />
}

/** The section as a link above a title; the name is isolated (a Latin section in Arabic chrome). */
export function Kicker(props: { section: string | undefined }) {
  if (!props.section) return null
  return (
    <p class="kicker">
      <a href={listPath({ kind: 'section', name: props.section })} dir="auto">
        {props.section}
      </a>
    </p>
  )
}

export function Teaser(props: { article: TeaserData; site: SiteConfig; lead?: boolean }) {
  const { article, site } = props
  return (
    <li class={props.lead ? 'teaser lead-story' : 'teaser'} {...languageOf(article)}>
      <Kicker section={article.section} />
      <h2>
        <a href={articlePath(article.slug)}>{article.title}</a>
      </h2>
      <p class="summary">{article.summary}</p>
      <span class="meta">
        <DateTime iso={article.publishedAt} language={article.language} site={site} />
      </span>
    </li>
  )
}

/** The lead photo with caption and agency credit; without a photo file, caption and credit alone. */
export function Figure(props: { image: Image; ui: UiStrings }) {
  const { image, ui } = props
  return (
    <figure class="figure">
      {image.url ? (
        // The lead photo is above the fold: not lazy. width/height reserve its box before it loads.
        <img src={image.url} alt={image.alt} width={image.width} height={image.height} decoding="async" />
      ) : (
        <span class="missing-photo" role="img" aria-label={image.alt}>
          {ui.photoUnavailable}
        </span>
      )}
      {image.caption || image.credit ? (
        <figcaption>
          {/* <bdi>: a bidi override left open in the caption must not reorder the credit. */}
          {image.caption ? <bdi>{image.caption}</bdi> : null}
          {image.caption && image.credit ? ' ' : null}
          {image.credit ? <span class="credit">({image.credit})</span> : null}
        </figcaption>
      ) : null}
    </figure>
  )
}
